package dev.modelgate.inference.resilience;

import dev.modelgate.inference.CallerContext;
import dev.modelgate.inference.ForwardingBackend;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * Fails a call with {@code TIMEOUT} once its budget is spent, on a timer of the caller's Vert.x context:
 * no thread waits, and no other thread is woken. When the caller's own deadline comes no later than the
 * budget (the default: a variant's budget is its model's deadline), the caller's timer ends the call
 * first, so this one sets none. The wrapped call is not cancelled (an HTTP request has its own timeout,
 * an engine call cannot be interrupted); its late outcome is dropped.
 */
public final class TimeoutBackend extends ForwardingBackend {

    private final Vertx vertx;
    private final String name;
    private final long budgetNanos;

    public TimeoutBackend(Vertx vertx, String name, Duration budget, InferenceBackend delegate) {
        super(delegate);
        Durations.requirePositive("timeout", budget);
        this.vertx = vertx;
        this.name = name;
        this.budgetNanos = budget.toNanos();
    }

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        Future<InferenceResponse> call = delegate.infer(request);
        if (request.endsBy(System.nanoTime() + budgetNanos)) {
            return call;
        }
        return CallerContext.within(vertx, call, budgetNanos, () -> new InferenceException(InferenceException.Kind.TIMEOUT,
                "backend '" + name + "' gave no answer within " + budgetNanos / 1_000_000 + " ms"));
    }
}
