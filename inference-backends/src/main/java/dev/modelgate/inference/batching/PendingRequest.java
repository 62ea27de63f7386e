package dev.modelgate.inference.batching;

import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/** A caller waiting in a batch, answered on its own Vert.x context. */
final class PendingRequest {

    private final InferenceRequest request;
    private final Context context;
    private final long enqueuedNanos = System.nanoTime();
    private final Promise<InferenceResponse> promise = Promise.promise();

    PendingRequest(InferenceRequest request, Context context) {
        this.request = request;
        this.context = context;
    }

    InferenceRequest request() {
        return request;
    }

    long rows() {
        return request.inputs().get(0).rows();
    }

    long enqueuedNanos() {
        return enqueuedNanos;
    }

    Future<InferenceResponse> future() {
        return promise.future();
    }

    void complete(InferenceResponse response) {
        context.runOnContext(ignored -> promise.complete(response));
    }

    void fail(Throwable failure) {
        context.runOnContext(ignored -> promise.fail(failure));
    }
}
