package dev.modelgate.inference.resilience;

import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FallbackChainTest {

    private static final InferenceRequest REQUEST = new InferenceRequest("r",
            List.of(Tensor.ofFloats("x", new long[] {1}, new float[] {1f})), List.of());
    private static final Tensor DEFAULT_SCORE = Tensor.ofFloats("score", new long[] {1}, new float[] {0f});

    /** A backend that answers with its own name as output, or fails with a fixed kind; counts its calls. */
    private static final class Scripted implements InferenceBackend {

        private final String name;
        private final InferenceException.Kind failure;
        private final boolean ready;
        private final AtomicInteger calls = new AtomicInteger();

        Scripted(String name, InferenceException.Kind failure) {
            this(name, failure, true);
        }

        Scripted(String name, InferenceException.Kind failure, boolean ready) {
            this.name = name;
            this.failure = failure;
            this.ready = ready;
        }

        @Override
        public Future<InferenceResponse> infer(InferenceRequest request) {
            calls.incrementAndGet();
            if (failure != null) {
                return Future.failedFuture(new InferenceException(failure, name + " failed"));
            }
            return Future.succeededFuture(new InferenceResponse(name, "", request.id(), List.of()));
        }

        @Override
        public ModelMetadata metadata() {
            return new ModelMetadata("fraud", "", "test", List.of(), List.of());
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void close() {
        }
    }

    private static FallbackChain.Candidate candidate(Scripted backend) {
        return new FallbackChain.Candidate(backend.name, backend);
    }

    @Test
    void aBackendThatIsNotReadyIsPassedOverWithoutACall() {
        Scripted down = new Scripted("remote", null, false);
        Scripted control = new Scripted("control", null);

        Served served = Await.result(new FallbackChain(List.of(candidate(down), candidate(control)), List.of()).infer(REQUEST));

        assertThat(served.servedBy()).isEqualTo("control");
        assertThat(down.calls).as("its breaker must not count failures it never had").hasValue(0);
    }

    @Test
    void theFirstBackendThatAnswersServes() {
        Scripted timesOut = new Scripted("candidate", InferenceException.Kind.TIMEOUT);
        Scripted overloaded = new Scripted("shadow-free", InferenceException.Kind.OVERLOADED);
        Scripted control = new Scripted("control", null);
        Scripted never = new Scripted("spare", null);

        Served served = Await.result(new FallbackChain(List.of(candidate(timesOut), candidate(overloaded),
                candidate(control), candidate(never)), List.of()).infer(REQUEST));

        assertThat(served.servedBy()).isEqualTo("control");
        assertThat(served.response().modelName()).isEqualTo("control");
        assertThat(never.calls).hasValue(0);
    }

    @Test
    void aCandidateThatRefusesTheInputFallsBackToTheControl() {
        Scripted refuses = new Scripted("candidate", InferenceException.Kind.INVALID_INPUT);
        Scripted control = new Scripted("control", null);

        Served served = Await.result(new FallbackChain(List.of(candidate(refuses), candidate(control)),
                List.of(DEFAULT_SCORE)).infer(REQUEST));

        assertThat(served.servedBy()).isEqualTo("control");
    }

    @Test
    void inputTheLastBackendRefusesIsTheCallersFaultAndNeverGetsTheStaticDefault() {
        Scripted candidateFails = new Scripted("candidate", InferenceException.Kind.BACKEND_FAILURE);
        Scripted controlRefuses = new Scripted("control", InferenceException.Kind.INVALID_INPUT);

        Throwable failure = Await.failure(new FallbackChain(List.of(candidate(candidateFails), candidate(controlRefuses)),
                List.of(DEFAULT_SCORE)).infer(REQUEST));

        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.INVALID_INPUT);
    }

    @Test
    void theStaticDefaultAnswersWhenEveryBackendFailed() {
        Served served = Await.result(new FallbackChain(List.of(
                candidate(new Scripted("candidate", InferenceException.Kind.BACKEND_FAILURE)),
                candidate(new Scripted("control", InferenceException.Kind.TIMEOUT))), List.of(DEFAULT_SCORE)).infer(REQUEST));

        assertThat(served.isStaticDefault()).isTrue();
        assertThat(served.response().id()).isEqualTo("r");
        assertThat(served.response().modelName()).isEqualTo("fraud");
        assertThat(served.response().outputs()).containsExactly(DEFAULT_SCORE);
    }

    @Test
    void withoutADefaultTheLastFailureDecidesTheKindAndEveryFailureIsNamed() {
        Throwable failure = Await.failure(new FallbackChain(List.of(
                candidate(new Scripted("candidate", InferenceException.Kind.BACKEND_FAILURE)),
                candidate(new Scripted("control", InferenceException.Kind.TIMEOUT))), List.of()).infer(REQUEST));

        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.TIMEOUT);
        assertThat(failure).hasMessage("every backend failed: candidate: candidate failed; control: control failed");
    }

    @Test
    void aChainNeedsDistinctlyNamedBackends() {
        Scripted a = new Scripted("a", null);
        assertThatThrownBy(() -> new FallbackChain(List.of(), List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new FallbackChain(List.of(candidate(a), candidate(a)), List.of()))
                .hasMessageContaining("'a' appears twice");
    }
}
