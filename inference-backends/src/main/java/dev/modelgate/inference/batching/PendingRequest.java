package dev.modelgate.inference.batching;

import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

/** A caller waiting in a batch, answered on its own Vert.x context. */
final class PendingRequest {

    private final InferenceRequest request;
    private final long enqueuedNanos = System.nanoTime();
    private final Promise<InferenceResponse> promise;

    PendingRequest(InferenceRequest request, Context context) {
        this.request = request;
        this.promise = ((ContextInternal) context).promise();
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

    /** From the batch's thread: the promise hands its listeners to the caller's context. */
    void complete(InferenceResponse response) {
        promise.complete(response);
    }

    void fail(Throwable failure) {
        promise.fail(failure);
    }
}
