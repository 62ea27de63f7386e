package dev.modelgate.inference.resilience;

import dev.modelgate.inference.ForwardingBackend;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;

/**
 * Stops calling a backend that keeps failing or answering slowly: while the circuit is open, calls fail
 * at once with {@code BACKEND_FAILURE} ("circuit open") so that a fallback can answer instead of
 * everyone waiting for timeouts. Outcomes are recorded with their durations through Resilience4j's
 * non-blocking API.
 */
public final class CircuitBreakerBackend extends ForwardingBackend {

    private final CircuitBreaker breaker;

    public CircuitBreakerBackend(CircuitBreaker breaker, InferenceBackend delegate) {
        super(delegate);
        this.breaker = breaker;
    }

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        if (!breaker.tryAcquirePermission()) {
            return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "circuit open: backend '" + breaker.getName() + "' is failing, calls are refused until it recovers"));
        }
        long start = breaker.getCurrentTimestamp();
        return delegate.infer(request).andThen(done -> {
            long duration = breaker.getCurrentTimestamp() - start;
            if (done.succeeded()) {
                breaker.onSuccess(duration, breaker.getTimestampUnit());
            } else {
                // the breaker's own predicates decide: counted, ignored, or (a caller's mistake) a success
                breaker.onError(duration, breaker.getTimestampUnit(), done.cause());
            }
        });
    }
}
