package dev.modelgate.inference.remote;

import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Future;

/** Assertions shared by the remote backend tests. */
public final class RemoteTestSupport {

    private RemoteTestSupport() {
    }

    /** The kind of the {@link InferenceException} the future failed with. */
    public static InferenceException.Kind failureKind(Future<?> future) {
        Throwable failure = Await.failure(future);
        if (!(failure instanceof InferenceException e)) {
            throw new AssertionError("expected an InferenceException, got " + failure, failure);
        }
        return e.kind();
    }
}
