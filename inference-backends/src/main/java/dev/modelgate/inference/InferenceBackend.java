package dev.modelgate.inference;

import io.vertx.core.Future;

/**
 * The one interface the gateway serves models through, whatever runs them (a DJL engine in this
 * process, or a remote inference server). Implementations never block the calling thread: engine
 * calls run on worker threads of their own and the returned future completes on the caller's
 * Vert.x context.
 *
 * <p>Failures are reported through the future as {@link InferenceException}s, whose
 * {@link InferenceException.Kind} tells the caller whether the request was at fault.
 */
public interface InferenceBackend extends AutoCloseable {

    /** Runs one request; validates it against {@link #metadata()} first. */
    Future<InferenceResponse> infer(InferenceRequest request);

    /** Inputs and outputs as read from the loaded model. */
    ModelMetadata metadata();

    /** True once the model is loaded and warmed up, false after {@link #close()}. */
    boolean isReady();

    /** Releases the model and its threads; in-flight requests complete first. */
    @Override
    void close();
}
