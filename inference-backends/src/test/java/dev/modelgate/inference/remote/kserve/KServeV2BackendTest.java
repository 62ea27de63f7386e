package dev.modelgate.inference.remote.kserve;

import dev.modelgate.inference.CallerJson;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.remote.RemoteBackend;
import dev.modelgate.inference.remote.RemoteEndpoint;
import dev.modelgate.inference.remote.StubServer;
import dev.modelgate.inference.remote.StubServer.Reply;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class KServeV2BackendTest {

    private static final String METADATA = """
            {"name": "iris", "versions": ["1"], "platform": "onnxruntime_onnx",
             "inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, 3]},
                        {"name": "ids", "datatype": "INT64", "shape": [-1]}],
             "outputs": [{"name": "scores", "datatype": "FP64", "shape": [-1, 2]},
                         {"name": "label", "datatype": "BYTES", "shape": [-1]}]}""";
    private static final String INFER = "/v2/models/iris/infer";

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
        server = StubServer.start(vertx)
                .route(HttpMethod.GET, "/v2/models/iris", Reply.ok(METADATA))
                .route(HttpMethod.GET, "/v2/models/iris/ready", Reply.ok(""));
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        server.close();
    }

    private RemoteBackend connect(RemoteEndpoint endpoint) {
        return Await.result(RemoteBackend.connect(vertx, endpoint, new KServeV2Protocol(new KServeV2Settings("iris", ""))));
    }

    private static InferenceRequest twoRows() {
        return new InferenceRequest("req-1", List.of(
                Tensor.ofFloats("features", new long[] {2, 3}, new float[] {1.5f, -2.25f, 0.125f, 4f, 5f, 6.5f}),
                new Tensor("ids", DataType.INT64, new long[] {2}, new long[] {7L, 9_007_199_254_740_993L})),
                List.of());
    }

    @Test
    void loadsMetadataAndReadinessFromTheServer() {
        backend = connect(RemoteEndpoint.of(server.baseUri()));

        assertThat(backend.isReady()).isTrue();
        assertThat(backend.metadata().platform()).isEqualTo("onnxruntime_onnx");
        assertThat(backend.metadata().inputs()).containsExactly(
                new TensorSpec("features", DataType.FP32, new long[] {-1, 3}),
                new TensorSpec("ids", DataType.INT64, new long[] {-1}));
        assertThat(backend.metadata().outputs()).extracting(TensorSpec::name).containsExactly("scores", "label");
    }

    @Test
    void sendsOpenInferenceProtocolJsonAndReadsTheOutputsBack() {
        // one output with flat data, one with nested data: the protocol allows both
        server.route(HttpMethod.POST, INFER, Reply.ok("""
                {"model_name": "iris", "model_version": "1", "id": "req-1",
                 "outputs": [{"name": "scores", "datatype": "FP64", "shape": [2, 2], "data": [0.25, 0.75, 1e-300, 1.0],
                              "parameters": {"binary_data": false}},
                             {"name": "label", "shape": [2], "datatype": "BYTES", "data": [["setosa"], ["virginica"]]}]}"""));
        backend = connect(RemoteEndpoint.of(server.baseUri()));

        InferenceResponse response = Await.result(backend.infer(twoRows()));

        assertThat(server.received(INFER)).singleElement().satisfies(sent -> assertThat(sent.json()).isEqualTo(new JsonObject("""
                {"id": "req-1", "inputs": [
                  {"name": "features", "shape": [2, 3], "datatype": "FP32", "data": [1.5, -2.25, 0.125, 4.0, 5.0, 6.5]},
                  {"name": "ids", "shape": [2], "datatype": "INT64", "data": [7, 9007199254740993]}]}""")));
        assertThat(response.id()).isEqualTo("req-1");
        assertThat(response.outputs()).containsExactly(
                Tensor.ofDoubles("scores", new long[] {2, 2}, new double[] {0.25, 0.75, 1e-300, 1.0}),
                new Tensor("label", DataType.BYTES, new long[] {2}, new String[] {"setosa", "virginica"}));
    }

    @Test
    void sendsTheCallersOwnBodyOnAsItCameWithTheRequestIdAddedWhenItHadNone() {
        server.route(HttpMethod.POST, INFER, Reply.ok("""
                {"outputs": [{"name": "label", "datatype": "BYTES", "shape": [2], "data": ["a", "b"]}]}"""));
        backend = connect(RemoteEndpoint.of(server.baseUri()));
        // spelt as the caller spelt it: the gateway would write 1.5 and 2.0
        String withoutId = " {\"inputs\":[{\"name\":\"features\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1.50,-2.25,0.125,4,5,6.5]},"
                + "{\"name\":\"ids\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[7,9007199254740993]}]}";
        String withId = "{\"id\":\"caller-7\"," + withoutId.substring(2);

        Await.result(backend.infer(asSent("req-1", new CallerJson(withoutId.getBytes(StandardCharsets.UTF_8), false))));
        Await.result(backend.infer(asSent("caller-7", new CallerJson(withId.getBytes(StandardCharsets.UTF_8), true))));

        assertThat(server.received(INFER)).extracting(StubServer.Received::body).containsExactly(
                " {\"id\":\"req-1\"," + withoutId.substring(2), withId);
    }

    private static InferenceRequest asSent(String id, CallerJson json) {
        return new InferenceRequest(id, twoRows().inputs(), List.of(), InferenceRequest.NO_DEADLINE, Optional.of(json));
    }

    @Test
    void asksForTheRequestedOutputsOnlyAndReturnsThemInTheCallersOrder() {
        server.route(HttpMethod.POST, INFER, Reply.ok("""
                {"outputs": [{"name": "label", "datatype": "BYTES", "shape": [2], "data": ["a", "b"]}]}"""));
        backend = connect(RemoteEndpoint.of(server.baseUri()));

        InferenceRequest request = new InferenceRequest("req-2", twoRows().inputs(), List.of("label"));
        InferenceResponse response = Await.result(backend.infer(request));

        assertThat(server.received(INFER).get(0).json().getJsonArray("outputs").encode()).isEqualTo("[{\"name\":\"label\"}]");
        assertThat(response.outputs()).extracting(Tensor::name).containsExactly("label");
    }

    @Test
    void pinsTheConfiguredVersionInEveryPath() {
        server.route(HttpMethod.GET, "/v2/models/iris/versions/3", Reply.ok(METADATA))
                .route(HttpMethod.GET, "/v2/models/iris/versions/3/ready", Reply.ok(""))
                .route(HttpMethod.POST, "/v2/models/iris/versions/3/infer", Reply.ok("""
                        {"outputs": [{"name": "label", "datatype": "BYTES", "shape": [2], "data": ["a", "b"]}]}"""));
        backend = Await.result(RemoteBackend.connect(vertx, RemoteEndpoint.of(server.baseUri()),
                new KServeV2Protocol(new KServeV2Settings("iris", "3"))));

        Await.result(backend.infer(twoRows()));

        assertThat(backend.metadata().version()).isEqualTo("3");
        assertThat(server.received("/v2/models/iris/versions/3/infer")).hasSize(1);
    }

    @Test
    void aServerThatRejectsTheInputIsTheCallersFaultWithTheServersMessage() {
        server.route(HttpMethod.POST, INFER, Reply.json(400, "{\"error\": \"unexpected shape for input 'features'\"}"));
        backend = connect(RemoteEndpoint.of(server.baseUri()));

        Throwable failure = Await.failure(backend.infer(twoRows()));

        assertThat(failure).isInstanceOf(InferenceException.class).hasMessageContaining("unexpected shape for input 'features'");
        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.INVALID_INPUT);
    }

    @Test
    void aServerErrorIsABackendFailure() {
        server.route(HttpMethod.POST, INFER, Reply.json(500, "{\"error\": \"CUDA out of memory\"}"));
        backend = connect(RemoteEndpoint.of(server.baseUri()));

        Throwable failure = Await.failure(backend.infer(twoRows()));

        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
        assertThat(failure).hasMessageContaining("HTTP 500").hasMessageContaining("CUDA out of memory");
    }

    @Test
    void aMalformedAnswerIsABackendFailure() {
        server.route(HttpMethod.POST, INFER, Reply.ok("""
                {"outputs": [{"name": "scores", "datatype": "FP64", "shape": [2, 2], "data": [0.25, 0.75, 1.0]}]}"""));
        backend = connect(RemoteEndpoint.of(server.baseUri()));

        Throwable failure = Await.failure(backend.infer(twoRows()));

        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
        assertThat(failure).hasMessageContaining("holds 4 elements but 3 were sent");
    }

    @Test
    void anInvalidRequestIsRefusedWithoutARoundTrip() {
        backend = connect(RemoteEndpoint.of(server.baseUri()));
        InferenceRequest wrongType = new InferenceRequest("req-3", List.of(
                Tensor.ofDoubles("features", new long[] {1, 3}, new double[] {1, 2, 3}),
                new Tensor("ids", DataType.INT64, new long[] {1}, new long[] {1})), List.of());

        Throwable failure = Await.failure(backend.infer(wrongType));

        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.INVALID_INPUT);
        assertThat(failure).hasMessage("input 'features': expected FP32, got FP64");
        assertThat(server.received(INFER)).isEmpty();
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsATimeoutWithinTheBudget() {
        server.route(HttpMethod.POST, INFER, Reply.ok("{}").after(5_000));
        backend = connect(RemoteEndpoint.of(server.baseUri()).withRequestTimeout(Duration.ofMillis(500)));

        long start = System.nanoTime();
        Throwable failure = Await.failure(backend.infer(twoRows()));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.TIMEOUT);
        assertThat(elapsedMillis).isBetween(450L, 1_500L);
    }

    @Test
    void aServerThatIsDownIsABackendFailureCausedByTheRefusedConnection() {
        backend = connect(RemoteEndpoint.of(server.baseUri()));
        server.close();

        Throwable failure = Await.failure(backend.infer(twoRows()));

        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
        assertThat(failure).hasRootCauseInstanceOf(ConnectException.class);
    }

    @Test
    void neverOpensMoreConnectionsThanThePoolAllows() {
        server.route(HttpMethod.POST, INFER, Reply.ok("""
                {"outputs": [{"name": "label", "datatype": "BYTES", "shape": [2], "data": ["a", "b"]}]}""").after(300));
        backend = connect(RemoteEndpoint.of(server.baseUri()).withMaxPoolSize(1));

        long start = System.nanoTime();
        Future<InferenceResponse> first = backend.infer(twoRows());
        Future<InferenceResponse> second = backend.infer(twoRows());
        Await.result(Future.all(first, second));

        // one connection, no pipelining: the second request waits for the first answer
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(590L);
        assertThat(server.received(INFER)).hasSize(2);
    }
}
