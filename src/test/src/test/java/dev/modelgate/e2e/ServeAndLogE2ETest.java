package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.api.OpenApiContract;
import dev.modelgate.inference.demo.FraudScoreParameters;
import dev.modelgate.inference.demo.FraudScoreReference;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The foundation's promise, end to end: the assembled jar serves the demo model over the Open
 * Inference Protocol with the prediction the model defines, and every request becomes a row in
 * ClickHouse with the fields an analyst needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeAndLogE2ETest {

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_serve");
    private FraudScoreReference reference;
    private GatewayProcess gateway;
    private InferApi api;
    private Path workDir;

    @BeforeAll
    void start() throws Exception {
        reference = FraudScoreReference.load(GatewayProcess.REPO.resolve("demo/fraud-score.json"));
        workDir = Files.createTempDirectory("modelgate-e2e-serve");
        Path config = TestConfigs.demo(workDir, 200, "");
        gateway = GatewayProcess.start(config, Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_INSTANCE_ID", "e2e-serve"), workDir);
        api = new InferApi(gateway.base);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        clickHouse.dropDatabase(database);
    }

    private String table() {
        return database + ".predictions";
    }

    @Test
    void examplesGetTheProbabilityTheModelDefinesAndLandInClickHouseWithinTwoSeconds() throws Exception {
        for (FraudScoreParameters.Example example : reference.parameters().examples()) {
            HttpResponse<String> response = api.post("/v2/models/fraud-score/infer", InferApi.fraudRequest(example.features(), "user-" + example.name()));
            assertThat(response.statusCode()).as(example.name() + ": " + response.body()).isEqualTo(200);
            JsonNode body = api.json(response);
            String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(requestId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(response.headers().firstValue("X-Variant")).contains("v1");
            assertThat(response.headers().firstValue("X-Experiment")).contains("");
            assertThat(body.get("model_name").asText()).isEqualTo("fraud-score");
            assertThat(body.get("model_version").asText()).isEqualTo("1");
            assertThat(body.at("/parameters/request_id").asText()).isEqualTo(requestId);
            JsonNode output = body.get("outputs").get(0);
            assertThat(output.get("name").asText()).isEqualTo("fraud_probability");
            assertThat(output.get("shape").toString()).isEqualTo("[1,1]");
            double served = output.get("data").get(0).asDouble();
            assertThat(served).as(example.name()).isCloseTo(reference.probability(example.features()), within(1e-6));

            long rows = clickHouse.awaitCount(table() + " WHERE request_id = '" + requestId + "'", n -> n == 1, Duration.ofSeconds(2));
            assertThat(rows).as("row for " + example.name() + " within 2 s").isEqualTo(1);
        }
    }

    @Test
    void concurrentRequestsBecomeOneCompleteRowEach() throws Exception {
        int n = 300;
        Random random = new Random(42);
        List<float[]> inputs = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] features = randomTransaction(random);
            inputs.add(features);
            calls.add(api.postAsync("/v2/models/fraud-score/infer", InferApi.fraudRequest(features, "unit-" + i)));
        }
        Map<String, Integer> indexByRequestId = new HashMap<>();
        Map<String, Double> scoreByRequestId = new HashMap<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> response = calls.get(i).get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            indexByRequestId.put(requestId, i);
            double served = api.json(response).at("/outputs/0/data/0").asDouble();
            assertThat(served).isCloseTo(reference.probability(inputs.get(i)), within(1e-6));
            scoreByRequestId.put(requestId, served);
        }

        String ids = String.join("','", indexByRequestId.keySet());
        String where = table() + " WHERE request_id IN ('" + ids + "')";
        assertThat(clickHouse.awaitCount(where, c -> c >= n, Duration.ofSeconds(10))).isEqualTo(n);

        List<String> featureNames = reference.parameters().featureNames();
        for (JsonNode row : clickHouse.rows("SELECT * FROM " + where)) {
            String requestId = row.get("request_id").asText();
            int i = indexByRequestId.get(requestId);
            assertThat(row.get("model").asText()).isEqualTo("fraud-score");
            assertThat(row.get("model_version").asText()).isEqualTo("1");
            assertThat(row.get("served_variant").asText()).isEqualTo("v1");
            assertThat(row.get("assigned_variant").asText()).isEqualTo("v1");
            assertThat(row.get("role").asText()).isEqualTo("primary");
            assertThat(row.get("assignment_reason").asText()).isEqualTo("default");
            assertThat(row.get("experiment").asText()).isEmpty();
            assertThat(row.get("unit_id").asText()).isEqualTo("unit-" + i);
            assertThat(row.get("status").asInt()).isEqualTo(200);
            assertThat(row.get("error").asText()).isEmpty();
            assertThat(row.get("batch_rows").asInt()).isEqualTo(1);
            assertThat(row.get("instance_id").asText()).isEqualTo("e2e-serve");
            assertThat(row.get("latency_ms").asDouble()).isPositive().isGreaterThanOrEqualTo(row.get("backend_latency_ms").asDouble());
            assertThat(row.get("backend_latency_ms").asDouble()).isPositive();
            List<String> names = new ArrayList<>();
            row.get("feature_names").forEach(x -> names.add(x.asText()));
            assertThat(names).isEqualTo(featureNames);
            for (int j = 0; j < featureNames.size(); j++) {
                assertThat(row.get("feature_values").get(j).asDouble()).isEqualTo((double) inputs.get(i)[j]);
            }
            assertThat(row.get("output_names").get(0).asText()).isEqualTo("fraud_probability");
            assertThat(row.get("score").asDouble()).isCloseTo(scoreByRequestId.get(requestId), within(1e-7));
            assertThat(row.get("request_json").asText()).contains("\"features\"");
            long eventMillis = row.get("event_time_ms").asLong();
            assertThat(eventMillis).isBetween(System.currentTimeMillis() - 120_000, System.currentTimeMillis());
        }
        assertThat(clickHouse.count("(SELECT DISTINCT event_id FROM " + where + ")")).isEqualTo(n);
    }

    @Test
    void metadataEndpointsDescribeTheModelAsLoaded() throws Exception {
        JsonNode server = api.json(api.get("/v2"));
        assertThat(server.get("name").asText()).isEqualTo("modelgate");
        assertThat(api.get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(api.get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(api.get("/v2/models/fraud-score/ready").statusCode()).isEqualTo(200);
        assertThat(api.get("/v2/models/nope/ready").statusCode()).isEqualTo(404);

        JsonNode model = api.json(api.get("/v2/models/fraud-score"));
        assertThat(model.get("name").asText()).isEqualTo("fraud-score");
        assertThat(model.get("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(model.at("/inputs/0/name").asText()).isEqualTo("features");
        assertThat(model.at("/inputs/0/datatype").asText()).isEqualTo("FP32");
        assertThat(model.at("/inputs/0/shape").toString()).isEqualTo("[-1,12]");
        assertThat(model.at("/outputs/0/name").asText()).isEqualTo("fraud_probability");
    }

    @Test
    void theJarServesTheRepositorysOpenApiDocumentWithoutAToken() throws Exception {
        HttpResponse<String> response = api.get("/openapi.json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(api.json(response)).isEqualTo(OpenApiContract.gateway().document());
        assertThat(api.json(response).get("openapi").asText()).startsWith("3.1.");
    }

    @Test
    void prometheusMetricsCountRequestsAndTheEventWriter() throws Exception {
        api.post("/v2/models/fraud-score/infer", InferApi.fraudRequest(reference.parameters().examples().get(0).features(), null));
        String metrics = api.get("/metrics").body();
        assertThat(metrics).containsPattern("modelgate_requests_seconds_count\\{[^}]*model=\"fraud-score\"[^}]*status=\"200\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("modelgate_requests_seconds_bucket\\{[^}]*le=\"0.005\"");
        assertThat(metrics).containsPattern("modelgate_backend_seconds_count\\{[^}]*outcome=\"ok\"");
        // the gateway's own share, with buckets fine enough for tens of microseconds
        assertThat(metrics).containsPattern("modelgate_overhead_seconds_count\\{[^}]*model=\"fraud-score\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("modelgate_overhead_seconds_bucket\\{[^}]*le=\"2.5E-5\"");
        assertThat(metrics).contains("modelgate_events_queued_total", "modelgate_events_written_total", "modelgate_events_dropped_total");
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    static float[] randomTransaction(Random random) {
        return new float[] {
            (float) Math.abs(random.nextGaussian() * 200 + 80), random.nextInt(3000), random.nextInt(12),
            (float) Math.abs(random.nextGaussian() * 60 + 80), (float) Math.abs(random.nextGaussian() * 300),
            random.nextDouble() < 0.06 ? 1 : 0, random.nextInt(24), (float) random.nextDouble(),
            random.nextDouble() < 0.7 ? 1 : 0, random.nextInt(5), random.nextInt(1500), (float) (random.nextDouble() * 3)
        };
    }
}
