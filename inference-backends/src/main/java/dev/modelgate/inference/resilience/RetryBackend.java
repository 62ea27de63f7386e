package dev.modelgate.inference.resilience;

import dev.modelgate.inference.CallerContext;
import dev.modelgate.inference.ForwardingBackend;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import io.github.resilience4j.retry.Retry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Sends a call again when Resilience4j's retry says so (by default: only when the request never
 * reached the server), after the backoff it computes, waiting on a Vert.x timer rather than a thread.
 */
public final class RetryBackend extends ForwardingBackend {

    private final Vertx vertx;
    private final Retry retry;

    public RetryBackend(Vertx vertx, Retry retry, InferenceBackend delegate) {
        super(delegate);
        this.vertx = vertx;
        this.retry = retry;
    }

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        Promise<InferenceResponse> outcome = CallerContext.promise(vertx);
        attempt(request, retry.asyncContext(), outcome);
        return outcome.future();
    }

    private void attempt(InferenceRequest request, Retry.AsyncContext<InferenceResponse> context,
                         Promise<InferenceResponse> outcome) {
        delegate.infer(request).onComplete(done -> {
            if (done.succeeded()) {
                context.onComplete();
                outcome.complete(done.result());
                return;
            }
            long waitMillis = context.onError(done.cause());
            if (waitMillis < 0) {
                outcome.fail(done.cause());
            } else {
                // setTimer needs at least 1 ms
                vertx.setTimer(Math.max(1, waitMillis), fired -> attempt(request, context, outcome));
            }
        });
    }
}
