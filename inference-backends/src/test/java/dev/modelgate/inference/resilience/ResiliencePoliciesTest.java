package dev.modelgate.inference.resilience;

import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.remote.RemoteTestSupport;
import dev.modelgate.inference.remote.StubServer.Reply;
import dev.modelgate.inference.testmodels.Await;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Every policy against real HTTP servers speaking KServe v2. */
class ResiliencePoliciesTest {

    private static Vertx vertx;
    private StubModel model;
    private ResiliencePolicies policies;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        Await.result(vertx.close());
    }

    @BeforeEach
    void start() {
        model = new StubModel(vertx);
        policies = ResiliencePolicies.create(vertx);
    }

    @AfterEach
    void stop() {
        model.close();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void aSlowBackendTimesOutWithinTheBudgetAndIsNotRetried() {
        model.answer(StubModel.OK.after(3_000));
        InferenceBackend backend = policies.decorate("m", model.connect(),
                ResilienceSettings.defaults().withTimeout(Duration.ofMillis(300)));

        long start = System.nanoTime();
        InferenceException.Kind kind = RemoteTestSupport.failureKind(backend.infer(StubModel.request()));

        assertThat(kind).isEqualTo(InferenceException.Kind.TIMEOUT);
        assertThat(millisSince(start)).isBetween(250L, 1_000L);
        assertThat(model.inferences()).isEqualTo(1);
    }

    @Test
    void aBurstOfServerErrorsOpensTheCircuitWhichFailsFastUntilAProbeClosesIt() {
        List<BreakerTransition> transitions = new CopyOnWriteArrayList<>();
        policies.onTransition(transitions::add);
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(true, 50, 100, Duration.ofSeconds(5), 4, 4,
                Duration.ofMillis(300), 1);
        InferenceBackend primary = policies.decorate("m", model.connect(),
                ResilienceSettings.defaults().withTimeout(Duration.ofSeconds(2)).withCircuitBreaker(breaker));
        try (StubModel control = new StubModel(vertx)) {
            FallbackChain chain = new FallbackChain(List.of(new FallbackChain.Candidate("candidate", primary),
                    new FallbackChain.Candidate("control", control.connect())), List.of());

            model.answer(StubModel.SERVER_ERROR);
            for (int i = 0; i < 4; i++) {
                assertThat(RemoteTestSupport.failureKind(primary.infer(StubModel.request())))
                        .isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
            }
            assertThat(policies.breaker("m").orElseThrow().state()).isEqualTo(State.OPEN);
            assertThat(policies.breaker("m").orElseThrow().failureRate()).isEqualTo(100f);

            long start = System.nanoTime();
            Throwable refused = Await.failure(primary.infer(StubModel.request()));
            assertThat(millisSince(start)).isLessThan(50);
            assertThat(refused).hasMessageStartingWith("circuit open");
            assertThat(model.inferences()).isEqualTo(4);

            start = System.nanoTime();
            Served served = Await.result(chain.infer(StubModel.request()));
            assertThat(served.servedBy()).isEqualTo("control");
            assertThat(millisSince(start)).isLessThan(2_000);
            assertThat(model.inferences()).isEqualTo(4);

            model.answer(StubModel.OK);
            Await.result(Future.future(promise -> vertx.setTimer(400, fired -> promise.complete())));
            InferenceResponse probe = Await.result(primary.infer(StubModel.request()));

            assertThat(probe.outputs()).containsExactly(StubModel.OUTPUT);
            assertThat(policies.breaker("m").orElseThrow().state()).isEqualTo(State.CLOSED);
            assertThat(transitions).extracting(t -> t.from() + "->" + t.to())
                    .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
            assertThat(Await.result(chain.infer(StubModel.request())).servedBy()).isEqualTo("candidate");
        }
    }

    @Test
    void aFullBulkheadRejectsAtOnceInsteadOfQueueing() {
        model.answer(StubModel.OK.after(1_000));
        InferenceBackend backend = policies.decorate("m", model.connect(),
                ResilienceSettings.defaults().withBulkhead(new BulkheadSettings(true, 2)));
        Future<InferenceResponse> first = backend.infer(StubModel.request());
        Future<InferenceResponse> second = backend.infer(StubModel.request());

        long start = System.nanoTime();
        Throwable rejected = Await.failure(backend.infer(StubModel.request()));
        long elapsed = millisSince(start);

        assertThat(((InferenceException) rejected).kind()).isEqualTo(InferenceException.Kind.OVERLOADED);
        assertThat(elapsed).isLessThan(50);
        Await.result(first);
        Await.result(second);
        assertThat(Await.result(backend.infer(StubModel.request())).outputs()).containsExactly(StubModel.OUTPUT);
        // rejections are load shed, not backend failures: the breaker did not count it
        assertThat(policies.breaker("m").orElseThrow().failedCalls()).isZero();
    }

    @Test
    void aCallThatCouldNotConnectIsRetriedUntilTheServerIsBack() {
        InferenceBackend backend = policies.decorate("m", model.connect(), ResilienceSettings.defaults()
                .withTimeout(Duration.ofSeconds(5))
                .withRetry(new RetrySettings(8, Duration.ofMillis(50), 2, Duration.ofMillis(400))));
        int port = model.port();
        model.close();
        // from another thread: starting a server blocks, which an event loop must never do
        CompletableFuture.runAsync(() -> model.start(port), CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

        InferenceResponse response = Await.result(backend.infer(StubModel.request()));

        assertThat(response.outputs()).containsExactly(StubModel.OUTPUT);
        assertThat(model.inferences()).isEqualTo(1);
        assertThat(policies.retryRegistry().retry("m").getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void aServerErrorIsNotRetried() {
        model.answer(StubModel.SERVER_ERROR);
        InferenceBackend backend = policies.decorate("m", model.connect(), ResilienceSettings.defaults()
                .withRetry(new RetrySettings(5, Duration.ofMillis(10), 1, Duration.ofMillis(10))));

        assertThat(RemoteTestSupport.failureKind(backend.infer(StubModel.request())))
                .isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
        assertThat(model.inferences()).isEqualTo(1);
    }

    @Test
    void aCallStillDownAfterEveryRetryFailsWithTheConnectionFailure() {
        InferenceBackend backend = policies.decorate("m", model.connect(), ResilienceSettings.defaults()
                .withRetry(new RetrySettings(3, Duration.ofMillis(10), 1, Duration.ofMillis(10))));
        model.close();

        assertThat(RemoteTestSupport.failureKind(backend.infer(StubModel.request())))
                .isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
        assertThat(policies.retryRegistry().retry("m").getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
        model.start(0);
    }

    @Test
    void listsEveryBreakerByName() {
        policies.decorate("b", model.connect(), ResilienceSettings.defaults());
        policies.decorate("a", model.connect(), ResilienceSettings.defaults());
        policies.decorate("no-breaker", model.connect(), ResilienceSettings.timeoutOnly(Duration.ofSeconds(1)));

        assertThat(policies.breakers()).extracting(BreakerSnapshot::name).containsExactly("a", "b");
        assertThat(policies.breakers()).extracting(BreakerSnapshot::state).containsOnly(State.CLOSED);
    }
}
