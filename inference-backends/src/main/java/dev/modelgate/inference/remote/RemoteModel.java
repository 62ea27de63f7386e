package dev.modelgate.inference.remote;

import dev.modelgate.inference.InferenceBackend;
import io.vertx.core.Future;

/** A model on a remote server, whichever protocol reaches it: a backend that can ask the server again whether it is ready. */
public interface RemoteModel extends InferenceBackend {

    /** Asks the server whether the model is ready; {@link #isReady()} reflects the answer. */
    Future<Boolean> refreshReadiness();
}
