package dev.modelgate.inference.remote.torchserve;

import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.remote.RemoteBackend;
import dev.modelgate.inference.remote.RemoteEndpoint;
import dev.modelgate.inference.remote.RemoteTestSupport;
import dev.modelgate.inference.remote.StubServer;
import dev.modelgate.inference.remote.StubServer.Reply;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TorchServeBackendTest {

    private static final TensorSpec INPUT = new TensorSpec("pixels", DataType.FP32, new long[] {-1, 2});
    private static final Tensor TWO_ROWS = Tensor.ofFloats("pixels", new long[] {2, 2}, new float[] {0.5f, 1f, -2f, 8f});

    private static Vertx vertx;
    private StubServer server;
    private RemoteBackend backend;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        Await.result(vertx.close());
    }

    @BeforeEach
    void startServer() {
        server = StubServer.start(vertx).route(HttpMethod.GET, "/ping", Reply.ok("{\"status\": \"Healthy\"}"));
    }

    @AfterEach
    void stop() {
        backend.close();
        server.close();
    }

    private RemoteBackend connect(TorchServeSettings settings) {
        return Await.result(RemoteBackend.connect(vertx, RemoteEndpoint.of(server.baseUri()), new TorchServeProtocol(settings)));
    }

    @Test
    void sendsTheRowsAsAJsonListAndReadsAListAnswer() {
        server.route(HttpMethod.POST, "/predictions/mnist", Reply.ok("[[0.1, 0.9], [0.75, 0.25]]"));
        backend = connect(new TorchServeSettings("mnist", "", TorchServeSettings.Body.ROWS, INPUT,
                new TensorSpec("probs", DataType.FP64, new long[] {-1, 2})));

        InferenceResponse response = Await.result(backend.infer(new InferenceRequest("r", List.of(TWO_ROWS), List.of())));

        assertThat(backend.isReady()).isTrue();
        assertThat(new JsonArray(server.received("/predictions/mnist").get(0).body()))
                .isEqualTo(new JsonArray("[[0.5, 1.0], [-2.0, 8.0]]"));
        assertThat(response.outputs()).containsExactly(
                Tensor.ofDoubles("probs", new long[] {2, 2}, new double[] {0.1, 0.9, 0.75, 0.25}));
    }

    @Test
    void sendsTheRowsUnderDataToAVersionAndReadsANumberAnswerAsAScalar() {
        server.route(HttpMethod.POST, "/predictions/mnist/2.0", Reply.ok("7"));
        backend = connect(new TorchServeSettings("mnist", "2.0", TorchServeSettings.Body.DATA, INPUT,
                new TensorSpec("digit", DataType.INT64, new long[0])));

        InferenceResponse response = Await.result(backend.infer(new InferenceRequest("r", List.of(TWO_ROWS), List.of())));

        assertThat(server.received("/predictions/mnist/2.0").get(0).json())
                .isEqualTo(new JsonObject("{\"data\": [[0.5, 1.0], [-2.0, 8.0]]}"));
        assertThat(response.outputs()).containsExactly(new Tensor("digit", DataType.INT64, new long[0], new long[] {7}));
    }

    @Test
    void anAnswerOfTheWrongTypeIsABackendFailure() {
        server.route(HttpMethod.POST, "/predictions/mnist", Reply.ok("[\"seven\"]"));
        backend = connect(new TorchServeSettings("mnist", "", TorchServeSettings.Body.ROWS, INPUT,
                new TensorSpec("digit", DataType.INT64, new long[] {-1})));

        assertThat(RemoteTestSupport.failureKind(backend.infer(new InferenceRequest("r", List.of(TWO_ROWS), List.of()))))
                .isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
    }

    @Test
    void torchServesErrorMessageReachesTheCaller() {
        server.route(HttpMethod.POST, "/predictions/mnist", Reply.json(400,
                "{\"code\": 400, \"type\": \"InvalidInput\", \"message\": \"expected 784 pixels\"}"));
        backend = connect(new TorchServeSettings("mnist", "", TorchServeSettings.Body.ROWS, INPUT,
                new TensorSpec("digit", DataType.INT64, new long[] {-1})));

        Throwable failure = Await.failure(backend.infer(new InferenceRequest("r", List.of(TWO_ROWS), List.of())));

        assertThat(failure).hasMessageEndingWith("rejected the input: expected 784 pixels");
        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.INVALID_INPUT);
    }
}
