package dev.modelgate.inference.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.remote.json.BufferOutputStream;
import dev.modelgate.inference.remote.json.JsonTensorException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A model served by a remote inference server, reached over HTTP with one of the {@link RemoteProtocol}s.
 * Requests are validated locally against the model's metadata first (a bad request never costs a
 * round trip), serialised with Jackson's streaming generator straight into the request buffer, and
 * the answer parsed with its streaming parser. Everything runs on the caller's event loop: there is
 * no blocking call anywhere.
 */
public final class RemoteBackend extends AbstractRemoteModel<Buffer> {

    private static final int INITIAL_BODY_BYTES = 512;

    private final HttpTransport http;
    private final RemoteProtocol protocol;
    /** Writes requests and reads answers: the fast double writer and parser spare a String per number each way. */
    private final JsonFactory json = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private RemoteBackend(HttpTransport http, RemoteProtocol protocol, ModelMetadata metadata, boolean serverReady) {
        super(metadata, serverReady);
        this.http = http;
        this.protocol = protocol;
    }

    /**
     * Opens the connection pool and loads the model's metadata. Fails with {@code BACKEND_FAILURE} when
     * the metadata cannot be had; a server that answers but is not ready yet gives a backend whose
     * {@link #isReady()} is false until {@link #refreshReadiness()} sees it ready.
     */
    public static Future<RemoteBackend> connect(Vertx vertx, RemoteEndpoint endpoint, RemoteProtocol protocol) {
        HttpTransport http = HttpTransport.create(vertx, endpoint);
        return protocol.loadMetadata(http)
                .compose(metadata -> protocol.checkReady(http)
                        .otherwise(false)
                        .map(ready -> new RemoteBackend(http, protocol, metadata, ready)))
                .recover(failure -> {
                    http.close();
                    return Future.failedFuture(metadataUnavailable(endpoint.baseUri(), failure));
                });
    }

    @Override
    protected Buffer encode(InferenceRequest request) {
        Optional<Buffer> forwarded = protocol.forwardedBody(request);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        Buffer body = Buffer.buffer(INITIAL_BODY_BYTES);
        try (JsonGenerator generator = json.createGenerator(new BufferOutputStream(body))) {
            protocol.writeRequest(generator, request);
        } catch (IOException e) {
            // the sink is an in-memory buffer: only a bug gets here
            throw new IllegalStateException("cannot serialise request " + request.id(), e);
        }
        return body;
    }

    @Override
    protected Future<InferenceResponse> send(InferenceRequest request, Buffer body) {
        return http.send(protocol.inferMethod(), protocol.inferPath(), body, response -> decode(request, response));
    }

    /** The answer's outputs; throws {@link InferenceException} when the server refused or its body holds none. */
    private InferenceResponse decode(InferenceRequest request, HttpReply response) {
        Buffer body = response.body();
        ModelMetadata metadata = metadata();
        if (response.statusCode() / 100 != 2) {
            throw ServerReplies.failure(metadata.name(), response.statusCode(), body);
        }
        try {
            List<Tensor> outputs = protocol.readResponse(new JsonBody(json, body.getBytes()));
            return new InferenceResponse(metadata.name(), metadata.version(), request.id(),
                    RequestedOutputs.select(request, outputs));
        } catch (IOException | JsonTensorException | IllegalArgumentException e) {
            throw new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + metadata.name() + "' answered with a body that does not hold its outputs: "
                            + e.getMessage(), e);
        }
    }

    @Override
    protected Future<Boolean> askReady() {
        return protocol.checkReady(http);
    }

    @Override
    protected void release() {
        http.close();
    }
}
