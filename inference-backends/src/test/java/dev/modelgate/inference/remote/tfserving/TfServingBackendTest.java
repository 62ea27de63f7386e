package dev.modelgate.inference.remote.tfserving;

import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.remote.RemoteBackend;
import dev.modelgate.inference.remote.RemoteEndpoint;
import dev.modelgate.inference.remote.StubServer;
import dev.modelgate.inference.remote.StubServer.Reply;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TfServingBackendTest {

    private static final String PREDICT = "/v1/models/wide_deep:predict";
    private static final List<TensorSpec> INPUTS = List.of(
            new TensorSpec("dense", DataType.FP32, new long[] {-1, 2}),
            new TensorSpec("tokens", DataType.INT32, new long[] {-1, 3}));
    private static final List<TensorSpec> OUTPUTS = List.of(
            new TensorSpec("probabilities", DataType.FP32, new long[] {-1, 2}),
            new TensorSpec("class_ids", DataType.INT64, new long[] {-1, 1}));

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
        server = StubServer.start(vertx).route(HttpMethod.GET, "/v1/models/wide_deep", Reply.ok("""
                {"model_version_status": [{"version": "2", "state": "AVAILABLE", "status": {"error_code": "OK"}}]}"""));
    }

    @AfterEach
    void stop() {
        backend.close();
        server.close();
    }

    private RemoteBackend connect(TfServingSettings.Format format, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        return Await.result(RemoteBackend.connect(vertx, RemoteEndpoint.of(server.baseUri()),
                new TfServingProtocol(new TfServingSettings("wide_deep", "", format, "", inputs, outputs))));
    }

    private static List<Tensor> twoRows() {
        return List.of(Tensor.ofFloats("dense", new long[] {2, 2}, new float[] {0.5f, -1.25f, 3f, 4f}),
                new Tensor("tokens", DataType.INT32, new long[] {2, 3}, new int[] {1, 2, 3, 4, 5, 6}));
    }

    @Test
    void rowFormatSendsOneObjectPerRowAndReadsNamedPredictions() {
        server.route(HttpMethod.POST, PREDICT, Reply.ok("""
                {"predictions": [{"probabilities": [0.25, 0.75], "class_ids": [1]},
                                 {"probabilities": [0.875, 0.125], "class_ids": [0]}]}"""));
        backend = connect(TfServingSettings.Format.ROW, INPUTS, OUTPUTS);

        InferenceResponse response = Await.result(backend.infer(new InferenceRequest("r", twoRows(), List.of())));

        assertThat(backend.isReady()).isTrue();
        assertThat(server.received(PREDICT)).singleElement().satisfies(sent -> assertThat(sent.json()).isEqualTo(new JsonObject("""
                {"instances": [{"dense": [0.5, -1.25], "tokens": [1, 2, 3]},
                               {"dense": [3.0, 4.0], "tokens": [4, 5, 6]}]}""")));
        assertThat(response.outputs()).containsExactly(
                Tensor.ofFloats("probabilities", new long[] {2, 2}, new float[] {0.25f, 0.75f, 0.875f, 0.125f}),
                new Tensor("class_ids", DataType.INT64, new long[] {2, 1}, new long[] {1, 0}));
    }

    @Test
    void rowFormatWithOneInputSendsTheTensorAsInstancesAndReadsUnnamedPredictions() {
        server.route(HttpMethod.POST, PREDICT, Reply.ok("{\"predictions\": [[0.25], [0.5]]}"));
        backend = connect(TfServingSettings.Format.ROW, INPUTS.subList(0, 1), OUTPUTS.subList(0, 1));

        InferenceResponse response = Await.result(backend.infer(new InferenceRequest("r", twoRows().subList(0, 1), List.of())));

        assertThat(server.received(PREDICT).get(0).json())
                .isEqualTo(new JsonObject("{\"instances\": [[0.5, -1.25], [3.0, 4.0]]}"));
        assertThat(response.outputs()).containsExactly(
                Tensor.ofFloats("probabilities", new long[] {2, 1}, new float[] {0.25f, 0.5f}));
    }

    @Test
    void columnarFormatSendsNamedInputsAndReadsNamedOutputsWithTheirNestedShapes() {
        server.route(HttpMethod.POST, PREDICT, Reply.ok("""
                {"outputs": {"probabilities": [[0.25, 0.75], [0.875, 0.125]], "class_ids": [[1], [0]]}}"""));
        backend = Await.result(RemoteBackend.connect(vertx, RemoteEndpoint.of(server.baseUri()), new TfServingProtocol(
                new TfServingSettings("wide_deep", "", TfServingSettings.Format.COLUMNAR, "classify", INPUTS, OUTPUTS))));

        InferenceResponse response = Await.result(backend.infer(new InferenceRequest("r", twoRows(), List.of("class_ids"))));

        assertThat(server.received(PREDICT).get(0).json()).isEqualTo(new JsonObject("""
                {"signature_name": "classify",
                 "inputs": {"dense": [[0.5, -1.25], [3.0, 4.0]], "tokens": [[1, 2, 3], [4, 5, 6]]}}"""));
        assertThat(response.outputs()).containsExactly(
                new Tensor("class_ids", DataType.INT64, new long[] {2, 1}, new long[] {1, 0}));
    }

    @Test
    void aVersionedModelIsCalledOnItsVersionPath() {
        server.route(HttpMethod.POST, "/v1/models/wide_deep/versions/2:predict", Reply.ok("{\"outputs\": [[0.5]]}"));
        backend = Await.result(RemoteBackend.connect(vertx, RemoteEndpoint.of(server.baseUri()), new TfServingProtocol(
                new TfServingSettings("wide_deep", "2", TfServingSettings.Format.COLUMNAR, "", INPUTS.subList(0, 1),
                        OUTPUTS.subList(0, 1)))));

        InferenceResponse response = Await.result(backend.infer(new InferenceRequest("r", twoRows().subList(0, 1), List.of())));

        assertThat(response.outputs()).containsExactly(Tensor.ofFloats("probabilities", new long[] {1, 1}, new float[] {0.5f}));
    }

    @Test
    void isReadyOnlyOnceTheServerReportsAnAvailableVersion() {
        server.route(HttpMethod.GET, "/v1/models/wide_deep", Reply.ok("""
                {"model_version_status": [{"version": "2", "state": "LOADING"}]}"""));
        backend = connect(TfServingSettings.Format.ROW, INPUTS, OUTPUTS);
        assertThat(backend.isReady()).isFalse();

        server.route(HttpMethod.GET, "/v1/models/wide_deep", Reply.ok("""
                {"model_version_status": [{"version": "2", "state": "AVAILABLE"}]}"""));

        assertThat(Await.result(backend.refreshReadiness())).isTrue();
        assertThat(backend.isReady()).isTrue();
    }
}
