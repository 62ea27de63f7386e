package dev.modelgate.inference.resilience;

import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeout policy answers on the caller's event loop, whatever thread the backend finishes on, so that
 * the gateway's own deadline on top of it stays on that loop too: no other thread is woken per request.
 */
class TimeoutBackendTest {

    private static final InferenceResponse ANSWER = new InferenceResponse("m", "1", "r",
            List.of(Tensor.ofFloats("y", new long[] {1, 1}, new float[] {0.5f})));

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        Await.result(vertx.close());
    }

    private static InferenceRequest request(long deadlineNanos) {
        return new InferenceRequest("r", List.of(Tensor.ofFloats("x", new long[] {1, 1}, new float[] {1f})), List.of(),
                deadlineNanos);
    }

    /** Calls {@code backend} from an event-loop context; completes with the name of the thread its outcome was seen on. */
    private static CompletableFuture<String> threadOfOutcome(InferenceBackend backend, InferenceRequest request,
                                                            long callerTimeoutMillis) {
        CompletableFuture<String> thread = new CompletableFuture<>();
        Context caller = vertx.getOrCreateContext();
        caller.runOnContext(go -> {
            Future<InferenceResponse> call = backend.infer(request);
            if (callerTimeoutMillis > 0) {
                call = call.timeout(callerTimeoutMillis, TimeUnit.MILLISECONDS);
            }
            call.onComplete(done -> thread.complete(Thread.currentThread().getName()));
        });
        return thread;
    }

    @Test
    void anAnswerFromAnotherThreadReachesTheCallerOnItsEventLoop() throws Exception {
        InferenceBackend answersFromAForeignThread = new FixedBackend(request -> {
            Promise<InferenceResponse> answer = Promise.promise();
            new Thread(() -> answer.complete(ANSWER), "engine-thread").start();
            return answer.future();
        });
        TimeoutBackend backend = new TimeoutBackend(vertx, "v1", Duration.ofSeconds(5), answersFromAForeignThread);

        assertThat(threadOfOutcome(backend, request(InferenceRequest.NO_DEADLINE), 0).get(10, TimeUnit.SECONDS))
                .startsWith("vert.x-eventloop-thread");
    }

    @Test
    void theCallersOwnDeadlineOnTopFiresOnTheCallersEventLoop() throws Exception {
        InferenceBackend neverAnswers = new FixedBackend(request -> Promise.<InferenceResponse>promise().future());
        TimeoutBackend backend = new TimeoutBackend(vertx, "v1", Duration.ofSeconds(5), neverAnswers);

        // a future without a context would run this timer on Netty's GlobalEventExecutor thread
        assertThat(threadOfOutcome(backend, request(InferenceRequest.NO_DEADLINE), 50).get(10, TimeUnit.SECONDS))
                .startsWith("vert.x-eventloop-thread");
    }

    @Test
    void theBudgetFailsACallWhoseCallerWouldWaitLonger() {
        InferenceBackend neverAnswers = new FixedBackend(request -> Promise.<InferenceResponse>promise().future());
        TimeoutBackend backend = new TimeoutBackend(vertx, "v1", Duration.ofMillis(50), neverAnswers);
        long start = System.nanoTime();

        Throwable failure = Await.failure(vertx.getOrCreateContext().<InferenceResponse>executeBlocking(() -> null)
                .compose(ignored -> backend.infer(request(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)))));

        assertThat(failure).isInstanceOf(InferenceException.class).hasMessageContaining("within 50 ms");
        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.TIMEOUT);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
    }

    @Test
    void aCallerWhoseDeadlineComesFirstIsLeftToItsOwnTimer() {
        InferenceBackend neverAnswers = new FixedBackend(request -> Promise.<InferenceResponse>promise().future());
        TimeoutBackend backend = new TimeoutBackend(vertx, "v1", Duration.ofMillis(50), neverAnswers);

        // the caller gives up after 20 ms, before the 50 ms budget: only its timer ends the call
        Throwable failure = Await.failure(vertx.getOrCreateContext().<InferenceResponse>executeBlocking(() -> null)
                .compose(ignored -> backend.infer(request(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)))
                        .timeout(20, TimeUnit.MILLISECONDS)));

        assertThat(failure).isInstanceOf(TimeoutException.class);
    }

    /** A backend whose answers a test defines. */
    private record FixedBackend(java.util.function.Function<InferenceRequest, Future<InferenceResponse>> answer)
            implements InferenceBackend {

        @Override
        public Future<InferenceResponse> infer(InferenceRequest request) {
            return answer.apply(request);
        }

        @Override
        public ModelMetadata metadata() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
