package dev.modelgate.inference.resilience;

import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.remote.RemoteBackend;
import dev.modelgate.inference.remote.RemoteEndpoint;
import dev.modelgate.inference.remote.StubServer;
import dev.modelgate.inference.remote.StubServer.Reply;
import dev.modelgate.inference.remote.kserve.KServeV2Protocol;
import dev.modelgate.inference.remote.kserve.KServeV2Settings;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A one-input, one-output model on a real KServe v2 stub server whose inference answer a test can switch. */
final class StubModel implements AutoCloseable {

    static final String INFER = "/v2/models/m/infer";
    static final Reply OK = Reply.ok("""
            {"outputs": [{"name": "y", "datatype": "FP32", "shape": [1, 1], "data": [0.5]}]}""");
    static final Reply SERVER_ERROR = Reply.json(500, "{\"error\": \"model crashed\"}");
    static final Tensor OUTPUT = Tensor.ofFloats("y", new long[] {1, 1}, new float[] {0.5f});

    private final Vertx vertx;
    private final AtomicReference<Reply> answer = new AtomicReference<>(OK);
    private volatile StubServer server;

    StubModel(Vertx vertx) {
        this.vertx = vertx;
        start(0);
    }

    /** (Re)starts the server, on {@code port} or an ephemeral one for 0. */
    StubModel start(int port) {
        server = StubServer.start(vertx, port)
                .route(HttpMethod.GET, "/v2/models/m", Reply.ok("""
                        {"name": "m", "platform": "stub",
                         "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 1]}],
                         "outputs": [{"name": "y", "datatype": "FP32", "shape": [-1, 1]}]}"""))
                .route(HttpMethod.GET, "/v2/models/m/ready", Reply.ok(""))
                .route(HttpMethod.POST, INFER, request -> answer.get());
        return this;
    }

    StubModel answer(Reply reply) {
        answer.set(reply);
        return this;
    }

    int port() {
        return server.port();
    }

    /** Inference requests that reached this server (since it was last started). */
    int inferences() {
        return server.received(INFER).size();
    }

    RemoteBackend connect() {
        return Await.result(RemoteBackend.connect(vertx, RemoteEndpoint.of(server.baseUri()),
                new KServeV2Protocol(new KServeV2Settings("m", ""))));
    }

    static InferenceRequest request() {
        return new InferenceRequest("r", List.of(Tensor.ofFloats("x", new long[] {1, 1}, new float[] {1f})), List.of());
    }

    /** Stops the server (it can be started again on the same port). */
    @Override
    public void close() {
        server.close();
    }
}
