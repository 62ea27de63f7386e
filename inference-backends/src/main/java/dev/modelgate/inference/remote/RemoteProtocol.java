package dev.modelgate.inference.remote;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One model server's wire protocol: where to send an inference, how tensors look in its JSON, and
 * where the model's metadata and readiness come from. Implementations are stateless and thread-safe;
 * {@link RemoteBackend} owns the connection, validation, status mapping and lifecycle.
 */
public interface RemoteProtocol {

    /** The model's inputs and outputs, read from the server or taken from configuration. */
    Future<ModelMetadata> loadMetadata(HttpTransport http);

    /** Whether the server says the model can take requests now. */
    Future<Boolean> checkReady(HttpTransport http);

    HttpMethod inferMethod();

    /** The inference path, relative to the endpoint's base URI. */
    String inferPath();

    /** Writes the request body for a request already validated against the metadata. */
    void writeRequest(JsonGenerator json, InferenceRequest request) throws IOException;

    /**
     * The body to send instead of {@link #writeRequest}'s, when the caller's own JSON is this protocol's
     * request already ({@link InferenceRequest#callerJson()}); empty to encode the request.
     */
    default Optional<Buffer> forwardedBody(InferenceRequest request) {
        return Optional.empty();
    }

    /**
     * Reads the output tensors from a 2xx answer. May return more outputs than requested (the backend
     * selects); throws {@link dev.modelgate.inference.remote.json.JsonTensorException} (or an
     * {@link IOException}) for a body that does not hold them.
     */
    List<Tensor> readResponse(JsonBody body) throws IOException;
}
