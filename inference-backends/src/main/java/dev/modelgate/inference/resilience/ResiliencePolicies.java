package dev.modelgate.inference.resilience;

import dev.modelgate.inference.InferenceBackend;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Wraps backends in their resilience policies and keeps the Resilience4j registries that hold the
 * policies' state, so the gateway can bind them to Micrometer ({@code TaggedCircuitBreakerMetrics
 * .ofCircuitBreakerRegistry(...)} and the like), list breakers and hear of their transitions.
 *
 * <p>The layers, outermost first: circuit breaker → timeout → bulkhead → retry → backend.
 * The breaker sees each call once, timeouts included, and refuses calls before they cost anything;
 * the timeout bounds the whole call, retries and backoff included (so nothing is retried after it);
 * the bulkhead holds its permit until the backend call really ends.
 */
public final class ResiliencePolicies {

    private final Vertx vertx;
    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;
    private final RetryRegistry retries;
    private final List<Consumer<BreakerTransition>> transitionListeners = new CopyOnWriteArrayList<>();

    public ResiliencePolicies(Vertx vertx, CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads, RetryRegistry retries) {
        this.vertx = vertx;
        this.breakers = breakers;
        this.bulkheads = bulkheads;
        this.retries = retries;
    }

    /** With fresh registries of Resilience4j's defaults. */
    public static ResiliencePolicies create(Vertx vertx) {
        return new ResiliencePolicies(vertx, CircuitBreakerRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(),
                RetryRegistry.ofDefaults());
    }

    /**
     * {@code backend} behind the policies of {@code settings}, under {@code name} (one per backend,
     * e.g. the variant's name). Decorating a name again (a configuration reload) replaces its policies,
     * and starts its breaker afresh in the closed state.
     */
    public InferenceBackend decorate(String name, InferenceBackend backend, ResilienceSettings settings) {
        InferenceBackend decorated = backend;
        retries.remove(name);
        if (settings.retry().enabled()) {
            decorated = new RetryBackend(vertx, retries.retry(name, retryConfig(settings.retry())), decorated);
        }
        bulkheads.remove(name);
        if (settings.bulkhead().enabled()) {
            decorated = new BulkheadBackend(bulkheads.bulkhead(name, BulkheadConfig.custom()
                    .maxConcurrentCalls(settings.bulkhead().maxConcurrentCalls())
                    .maxWaitDuration(Duration.ZERO)
                    .build()), decorated);
        }
        decorated = new TimeoutBackend(vertx, name, settings.timeout(), decorated);
        breakers.remove(name);
        if (settings.circuitBreaker().enabled()) {
            CircuitBreaker breaker = breakers.circuitBreaker(name, settings.circuitBreaker().toConfig());
            breaker.getEventPublisher().onStateTransition(event -> {
                BreakerTransition transition = new BreakerTransition(event.getCircuitBreakerName(),
                        event.getStateTransition().getFromState(), event.getStateTransition().getToState(),
                        event.getCreationTime());
                transitionListeners.forEach(listener -> listener.accept(transition));
            });
            decorated = new CircuitBreakerBackend(breaker, decorated);
        }
        return decorated;
    }

    private static RetryConfig retryConfig(RetrySettings settings) {
        return RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(settings.backoff())
                .retryOnException(Failures::neverReachedServer)
                .build();
    }

    /** Called on every state change of every breaker created by {@link #decorate}, on the thread that caused it. */
    public void onTransition(Consumer<BreakerTransition> listener) {
        transitionListeners.add(listener);
    }

    /** Every breaker, by name. */
    public List<BreakerSnapshot> breakers() {
        return breakers.getAllCircuitBreakers().stream()
                .map(BreakerSnapshot::of)
                .sorted(Comparator.comparing(BreakerSnapshot::name))
                .toList();
    }

    public Optional<BreakerSnapshot> breaker(String name) {
        return breakers.find(name).map(BreakerSnapshot::of);
    }

    public CircuitBreakerRegistry circuitBreakerRegistry() {
        return breakers;
    }

    public BulkheadRegistry bulkheadRegistry() {
        return bulkheads;
    }

    public RetryRegistry retryRegistry() {
        return retries;
    }
}
