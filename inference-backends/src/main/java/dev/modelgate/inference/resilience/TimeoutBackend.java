package dev.modelgate.inference.resilience;

import dev.modelgate.inference.ForwardingBackend;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * Fails a call with {@code TIMEOUT} once its budget is spent, on a Vert.x timer: no thread waits.
 * The wrapped call is not cancelled (an HTTP request has its own timeout, an engine call cannot be
 * interrupted); its late outcome is dropped.
 */
public final class TimeoutBackend extends ForwardingBackend {

    private final Vertx vertx;
    private final String name;
    private final long budgetMillis;

    public TimeoutBackend(Vertx vertx, String name, Duration budget, InferenceBackend delegate) {
        super(delegate);
        Durations.requirePositive("timeout", budget);
        this.vertx = vertx;
        this.name = name;
        this.budgetMillis = budget.toMillis();
    }

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        Promise<InferenceResponse> outcome = Promise.promise();
        long timer = vertx.setTimer(budgetMillis, fired -> outcome.tryFail(new InferenceException(
                InferenceException.Kind.TIMEOUT, "backend '" + name + "' gave no answer within " + budgetMillis + " ms")));
        delegate.infer(request).onComplete(done -> {
            vertx.cancelTimer(timer);
            if (done.succeeded()) {
                outcome.tryComplete(done.result());
            } else {
                outcome.tryFail(done.cause());
            }
        });
        return outcome.future();
    }
}
