package dev.modelgate.inference.remote;

import dev.modelgate.inference.InFlightGate;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.RequestValidator;
import io.vertx.core.Future;
import java.net.URI;
import java.util.function.Function;

/**
 * What every remote model does around a call, whatever its protocol: validate the request against the
 * model's metadata first (a bad request never costs a round trip), refuse calls once closed, and let
 * closing wait for the calls in flight.
 */
public final class RemoteCalls {

    private final ModelMetadata metadata;
    private final RequestValidator validator;
    private final InFlightGate gate = new InFlightGate();

    public RemoteCalls(ModelMetadata metadata) {
        this.metadata = metadata;
        this.validator = new RequestValidator(metadata);
    }

    /**
     * Validates and encodes {@code request} (an {@link InferenceException} from either fails the call at
     * once), then sends it while the backend is open.
     */
    public <M> Future<InferenceResponse> call(InferenceRequest request, Function<InferenceRequest, M> encode,
                                              Function<M, Future<InferenceResponse>> send) {
        M message;
        try {
            validator.validate(request);
            message = encode.apply(request);
        } catch (InferenceException invalid) {
            return Future.failedFuture(invalid);
        }
        if (!gate.tryEnter()) {
            return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + metadata.name() + "' is closed"));
        }
        return send.apply(message).andThen(done -> gate.leave());
    }

    public boolean isClosed() {
        return gate.isClosed();
    }

    /** Refuses new calls at once; {@code release} runs once the calls in flight have completed. */
    public void close(Runnable release) {
        gate.close().onComplete(drained -> release.run());
    }

    /** Why a backend could not be had: its server did not give the model's metadata. */
    public static InferenceException metadataUnavailable(URI server, Throwable failure) {
        return new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                "cannot load model metadata from " + server + ": " + failure.getMessage(), failure);
    }
}
