package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14 (defects 3 to 5) end to end, on the assembled gateway with the default 1 MiB
 * {@code max_body_bytes}: a 5,000-row JSON reference (about 1.9 MB) and an Excel CSV (byte-order mark,
 * {@code application/csv}) are accepted; a reference of the first 100 rows of traffic sent as requests of
 * 50 rows holds 100 rows; and the drift answer reads the same after the gateway restarted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriftReferenceE2ETest {

    private static final String TOKEN = "drift-reference-e2e-token";

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_reference");
    private final String model = "fraud-ref-" + UUID.randomUUID().toString().substring(0, 8);
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(14);
    private Path workDir;
    private Path config;
    private GatewayProcess gateway;
    private InferApi api;

    @BeforeAll
    void start() throws Exception {
        workDir = Files.createTempDirectory("modelgate-e2e-reference");
        config = workDir.resolve("reference.yaml");
        Files.writeString(config, DriftAlertE2ETest.fraudModel(model) + """
                telemetry: {flush_interval_ms: 200, spool_dir: "%s"}
                drift: {enabled: false, window_minutes: 5, min_samples: 50}
                """.formatted(workDir.resolve("spool")));
        startGateway();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            clickHouse.dropDatabase(database);
        }
    }

    @Test
    void uploadsAndTrafficReferencesAreTakenWholeAndTheDriftAnswerSurvivesARestart() throws Exception {
        String large = DriftAlertE2ETest.referenceRows(json, random, 5_000);
        assertThat(large.length()).as("larger than max_body_bytes").isGreaterThan(1 << 20);
        HttpResponse<String> uploaded = api.admin(TOKEN, "e2e-test", "PUT", "/admin/models/" + model + "/reference", large);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(json.readTree(uploaded.body()).get("rows").asLong()).isEqualTo(5_000);

        byte[] excel = ("\uFEFF" + String.join(",", DriftAlertE2ETest.FEATURES) + "\r\n" + csvRow() + "\r\n" + csvRow() + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> csv = api.send(HttpRequest.newBuilder(api.uri("/admin/models/" + model + "/reference"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/csv")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(excel)));
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(201);
        assertThat(json.readTree(csv.body()).get("rows").asLong()).isEqualTo(2);

        for (int request = 0; request < 10; request++) {
            HttpResponse<String> answer = api.post("/v2/models/" + model + "/infer", batchRequest(50));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        assertThat(clickHouse.awaitCount(database + ".predictions WHERE model = '" + model + "'", n -> n >= 10,
                Duration.ofSeconds(10))).isEqualTo(10);
        HttpResponse<String> traffic = api.admin(TOKEN, "e2e-test", "POST", "/admin/models/" + model + "/reference/from-traffic",
                "{\"variant\": \"v1\", \"rows\": 100}");
        assertThat(traffic.statusCode()).as(traffic.body()).isEqualTo(201);
        assertThat(json.readTree(traffic.body()).get("rows").asLong()).as("rows, not requests").isEqualTo(100);

        HttpResponse<String> run = api.admin(TOKEN, "e2e-test", "POST", "/admin/models/" + model + "/drift/run", "");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode live = drift("memory");
        assertThat(live.at("/features/0/p_value").isNumber()).as(live.toString()).isTrue();
        assertThat(clickHouse.awaitCount(database + ".drift_reports WHERE feature = '' AND model = '" + model + "'",
                n -> n >= 1, Duration.ofSeconds(10))).isEqualTo(1);
        gateway.close();
        startGateway();

        assertThat(rounded(drift("clickhouse"))).isEqualTo(rounded(live));
    }

    private void startGateway() throws Exception {
        gateway = GatewayProcess.start(config, Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_INSTANCE_ID", "e2e-reference",
                "MODELGATE_ADMIN_TOKEN", TOKEN), workDir);
        api = new InferApi(gateway.base);
    }

    /** The only variant's latest run, after checking where the answer came from. */
    private JsonNode drift(String source) throws Exception {
        HttpResponse<String> response = api.admin(TOKEN, "e2e-test", "GET", "/admin/models/" + model + "/drift", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("source").asText()).isEqualTo(source);
        assertThat(body.get("variants")).hasSize(1);
        return body.get("variants").get(0);
    }

    /** Doubles to 12 significant digits: ClickHouse 18.16 may parse the last bit of a stored double differently. */
    private static JsonNode rounded(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), rounded(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(rounded(element)));
            return copy;
        }
        return node.isDouble() ? JsonNodeFactory.instance.numberNode(new BigDecimal(node.asDouble()).round(new MathContext(12)).stripTrailingZeros()) : node;
    }

    private String csvRow() {
        float[] features = ServeAndLogE2ETest.randomTransaction(random);
        StringBuilder row = new StringBuilder();
        for (float feature : features) {
            row.append(row.length() == 0 ? "" : ",").append(feature);
        }
        return row.toString();
    }

    /** One request of {@code rows} transactions, shape {@code [rows, 12]}. */
    private String batchRequest(int rows) {
        StringBuilder data = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (float feature : ServeAndLogE2ETest.randomTransaction(random)) {
                data.append(data.length() == 0 ? "" : ",").append(feature);
            }
        }
        return "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[" + rows + ","
                + DriftAlertE2ETest.FEATURES.size() + "],\"data\":[" + data + "]}]}";
    }
}
