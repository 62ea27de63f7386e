package dev.modelgate.inference.remote;

import dev.modelgate.inference.InFlightGate;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.RequestValidator;
import io.vertx.core.Future;
import java.net.URI;

/**
 * What every remote model does around its protocol: validate a request against the model's metadata first
 * (a bad request never costs a round trip), refuse calls once closed and release the connections only when
 * the calls in flight have completed, and remember what the server last said about readiness.
 *
 * @param <M> the encoded request: a JSON body, a protobuf message
 */
public abstract class AbstractRemoteModel<M> implements RemoteModel {

    private final ModelMetadata metadata;
    private final RequestValidator validator;
    private final InFlightGate gate = new InFlightGate();
    private volatile boolean serverReady;

    protected AbstractRemoteModel(ModelMetadata metadata, boolean serverReady) {
        this.metadata = metadata;
        this.validator = new RequestValidator(metadata);
        this.serverReady = serverReady;
    }

    /** The request, already validated, in the server's encoding; throws {@link InferenceException} when it cannot be. */
    protected abstract M encode(InferenceRequest request);

    /** Sends an encoded request and reads the answer. */
    protected abstract Future<InferenceResponse> send(InferenceRequest request, M encoded);

    /** Asks the server whether the model is ready. */
    protected abstract Future<Boolean> askReady();

    /** Closes the connections; called once no call is in flight. */
    protected abstract void release();

    @Override
    public final Future<InferenceResponse> infer(InferenceRequest request) {
        M encoded;
        try {
            validator.validate(request);
            encoded = encode(request);
        } catch (InferenceException invalid) {
            return Future.failedFuture(invalid);
        }
        if (!gate.tryEnter()) {
            return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + metadata.name() + "' is closed"));
        }
        return send(request, encoded).andThen(done -> gate.leave());
    }

    @Override
    public final Future<Boolean> refreshReadiness() {
        return askReady()
                .otherwise(false)
                .andThen(ready -> serverReady = ready.succeeded() && ready.result());
    }

    @Override
    public final ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public final boolean isReady() {
        return serverReady && !gate.isClosed();
    }

    /** Refuses new calls at once and releases the connections once the calls in flight have completed. */
    @Override
    public final void close() {
        gate.close().onComplete(drained -> release());
    }

    /** Why a backend could not be had: its server did not give the model's metadata. */
    protected static InferenceException metadataUnavailable(URI server, Throwable failure) {
        return new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                "cannot load model metadata from " + server + ": " + failure.getMessage(), failure);
    }
}
