package dev.modelgate.inference.remote.http;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpJsonBackendTest {

    private static final List<TensorSpec> INPUTS = List.of(
            new TensorSpec("amount", DataType.FP64, new long[] {-1}),
            new TensorSpec("country", DataType.BYTES, new long[] {-1}));

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        Await.result(vertx.close());
    }

    @Test
    void fillsTheTemplateWithTheInputsAndReadsOutputsByJsonPointer() {
        try (StubServer server = StubServer.start(vertx)) {
            server.route(HttpMethod.PUT, "/api/score", Reply.ok("""
                    {"meta": {"took_ms": 3}, "result": {"scores": [0.125, 0.5], "flags": [[true], [false]]}}"""));
            HttpJsonSettings settings = new HttpJsonSettings("fraud", "v7", HttpMethod.PUT, "/api/score?explain=false",
                    "{\"trace\": ${id}, \"rows\": {\"amount\": ${input.amount}, \"country\": ${input.country}}}", INPUTS,
                    List.of(new OutputMapping(new TensorSpec("score", DataType.FP32, new long[] {-1}), "/result/scores"),
                            new OutputMapping(new TensorSpec("flag", DataType.BOOL, new long[] {-1, 1}), "/result/flags")),
                    "");
            RemoteBackend backend = Await.result(RemoteBackend.connect(vertx,
                    RemoteEndpoint.of(server.baseUri()), new HttpJsonProtocol(settings)));

            InferenceResponse response = Await.result(backend.infer(new InferenceRequest("req-\"9\"", List.of(
                    Tensor.ofDoubles("amount", new long[] {2}, new double[] {12.5, 990}),
                    new Tensor("country", DataType.BYTES, new long[] {2}, new String[] {"DE", "Ünïcode"})), List.of())));

            assertThat(server.received("/api/score")).singleElement().satisfies(sent -> {
                assertThat(sent.method()).isEqualTo(HttpMethod.PUT);
                assertThat(sent.json()).isEqualTo(new JsonObject("""
                        {"trace": "req-\\"9\\"", "rows": {"amount": [12.5, 990.0], "country": ["DE", "Ünïcode"]}}"""));
            });
            assertThat(response.modelName()).isEqualTo("fraud");
            assertThat(response.outputs()).containsExactly(
                    Tensor.ofFloats("score", new long[] {2}, new float[] {0.125f, 0.5f}),
                    new Tensor("flag", DataType.BOOL, new long[] {2, 1}, new boolean[] {true, false}));
            backend.close();
        }
    }

    @Test
    void aTemplateWithAnUnknownPlaceholderOrThatIsNotJsonIsRefusedAtStartUp() {
        assertThatThrownBy(() -> RequestTemplate.parse("{\"x\": ${input.amont}}", Set.of("amount")))
                .hasMessageContaining("unknown placeholder ${input.amont}");
        assertThatThrownBy(() -> RequestTemplate.parse("{\"x\": ${input.amount}", Set.of("amount")))
                .hasMessageContaining("requestTemplate is not JSON once its placeholders are filled");
    }

    @Test
    void aPointerThatFindsNothingIsABackendFailureNamingTheOutput() {
        try (StubServer server = StubServer.start(vertx)) {
            server.route(HttpMethod.POST, "/score", Reply.ok("{\"result\": {}}"));
            HttpJsonSettings settings = new HttpJsonSettings("fraud", "", HttpMethod.POST, "/score",
                    "${input.amount}", INPUTS.subList(0, 1),
                    List.of(new OutputMapping(new TensorSpec("score", DataType.FP32, new long[] {-1}), "/result/scores")), "");
            RemoteBackend backend = Await.result(RemoteBackend.connect(vertx,
                    RemoteEndpoint.of(server.baseUri()), new HttpJsonProtocol(settings)));

            Throwable failure = Await.failure(backend.infer(new InferenceRequest("r",
                    List.of(Tensor.ofDoubles("amount", new long[] {1}, new double[] {1})), List.of())));

            assertThat(failure).hasMessageContaining("output 'score': the answer has no value at '/result/scores'");
            assertThat(new String(server.received("/score").get(0).body())).isEqualTo("[1.0]");
            backend.close();
        }
    }
}
