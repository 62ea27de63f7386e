package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 5 end to end: the assembled gateway, real ClickHouse and the real Alertmanager of
 * {@code scripts/services.sh}. A reference is uploaded; reference-like traffic raises nothing; shifted
 * traffic (amount and distance ×3) fires a ModelDrift alert after two drifted windows, visible in
 * Alertmanager with its labels; normal traffic again resolves it. Windows are forced with
 * {@code POST .../drift/run} and are 15 s long, so the test controls what each one holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriftAlertE2ETest {

    private static final String TOKEN = "drift-e2e-token";
    private static final Duration WINDOW = Duration.ofSeconds(15);
    static final List<String> FEATURES = List.of("amount", "account_age_days", "tx_count_24h", "avg_amount_30d",
            "distance_from_home_km", "is_foreign", "hour_of_day", "merchant_risk", "card_present", "failed_logins_7d",
            "device_age_days", "velocity_ratio");
    private static final int AMOUNT = 0;
    private static final int DISTANCE = 4;

    private ClickHouse clickHouse;
    private String database;
    /** A model name no earlier run used, so alerts left in Alertmanager by other runs cannot interfere. */
    private final String model = "fraud-drift-" + UUID.randomUUID().toString().substring(0, 8);
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(11);
    private AlertmanagerAlerts alerts;
    private AlertingGateway gateway;
    private InferApi api;

    @BeforeAll
    void start() throws Exception {
        gateway = AlertingGateway.start("drift", model, TOKEN, this::config);
        clickHouse = gateway.clickHouse;
        database = gateway.database;
        api = gateway.api;
        alerts = gateway.alerts;
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shiftedTrafficFiresAModelDriftAlertInAlertmanagerAndNormalTrafficResolvesIt() throws Exception {
        HttpResponse<String> badReference = admin("PUT", "/reference", "{\"rows\": [{\"amount\": 1, \"zip_code\": 2}]}");
        assertThat(badReference.statusCode()).isEqualTo(400);
        assertThat(badReference.body()).contains("zip_code");
        HttpResponse<String> reference = admin("PUT", "/reference", referenceRows(json, random, 2_000));
        assertThat(reference.statusCode()).as(reference.body()).isEqualTo(201);
        assertThat(json.readTree(reference.body()).get("rows").asLong()).isEqualTo(2_000);

        send(400, 1.0);
        JsonNode normal = run();
        assertThat(normal.get("verdict").asText()).as(normal.toString()).isEqualTo("no_drift");
        assertThat(alerts.active()).isEmpty();

        send(400, 3.0);
        JsonNode firstShift = run();
        assertThat(firstShift.get("verdict").asText()).as(firstShift.toString()).isEqualTo("drift");
        assertThat(firstShift.get("alert_state").asText()).isEqualTo("pending");
        assertThat(drifted(firstShift)).contains("amount", "distance_from_home_km");
        send(400, 3.0);
        JsonNode secondShift = run();
        assertThat(secondShift.get("transition").asText()).as(secondShift.toString()).isEqualTo("fired");

        JsonNode alert = alerts.await(1).get(0);
        assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("ModelDrift");
        assertThat(alert.get("labels").get("model").asText()).isEqualTo(model);
        assertThat(alert.get("labels").get("variant").asText()).isEqualTo("v1");
        assertThat(alert.get("labels").get("severity").asText()).isEqualTo("warning");
        assertThat(alert.at("/annotations/drifted_features").asText()).contains("amount");
        assertThat(alert.at("/annotations/dashboard").asText()).isEqualTo("http://grafana.local/d/drift?var-model=" + model + "&var-variant=v1");

        Thread.sleep(WINDOW.plusSeconds(1).toMillis()); // let the shifted requests leave the window
        send(400, 1.0);
        JsonNode back = run();
        assertThat(back.get("verdict").asText()).as(back.toString()).isEqualTo("no_drift");
        assertThat(back.get("transition").asText()).isEqualTo("resolved");
        assertThat(alerts.await(0)).isEmpty();

        JsonNode latest = json.readTree(admin("GET", "/drift", null).body());
        assertThat(latest.at("/variants/0/verdict").asText()).isEqualTo("no_drift");
        String metrics = api.get("/metrics").body();
        assertThat(metrics).contains("modelgate_drift_runs_total{instance_id=\"e2e-drift\",model=\"" + model + "\",variant=\"v1\",verdict=\"drift\"} 2.0");
        assertThat(metrics).contains("modelgate_drift_firing{instance_id=\"e2e-drift\",model=\"" + model + "\",variant=\"v1\"} 0.0");
        assertThat(clickHouse.awaitCount(database + ".drift_reports WHERE feature = '' AND model = '" + model + "'",
                n -> n >= 4, Duration.ofSeconds(10))).isEqualTo(4);
    }

    private Path config(Path dir) throws Exception {
        String yaml = fraudModel(model) + """
                server: {max_body_bytes: 4194304}
                telemetry: {flush_interval_ms: 200, spool_dir: "%s"}
                drift: {enabled: false, window_minutes: 0.25, min_samples: 200, fire_after: 2, resolve_after: 1,
                        share_threshold: 0.1}
                alerts:
                  resend_seconds: 60
                  dashboard_url_template: "http://grafana.local/d/drift?var-model={model}&var-variant={variant}"
                """.formatted(dir.resolve("spool"));
        Path file = dir.resolve("drift.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The {@code models:} section: {@code model} with one ONNX variant v1 (the demo's fraud model) logging {@link #FEATURES}. */
    static String fraudModel(String model) {
        return """
                models:
                  %1$s:
                    score_output: fraud_probability
                    variants:
                      v1:
                        backend: {type: onnx, path: "%2$s", device: cpu}
                        feature_names:
                          features: [%3$s]
                """.formatted(model, GatewayProcess.REPO.resolve("demo/fraud-score.onnx"), String.join(", ", FEATURES));
    }

    /** {@code {"rows": [...]}} of {@code n} transactions drawn like the e2e traffic, by feature name. */
    static String referenceRows(ObjectMapper json, Random random, int n) {
        ObjectNode body = json.createObjectNode();
        ArrayNode rows = body.putArray("rows");
        for (int i = 0; i < n; i++) {
            float[] features = ServeAndLogE2ETest.randomTransaction(random);
            ObjectNode row = rows.addObject();
            for (int f = 0; f < FEATURES.size(); f++) {
                row.put(FEATURES.get(f), features[f]);
            }
        }
        return body.toString();
    }

    /** {@code n} requests drawn like the reference, amount and distance multiplied by {@code factor}; waits until logged. */
    private void send(int n, double factor) throws Exception {
        long before = logged();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] features = ServeAndLogE2ETest.randomTransaction(random);
            features[AMOUNT] *= (float) factor;
            features[DISTANCE] *= (float) factor;
            calls.add(api.postAsync("/v2/models/" + model + "/infer", InferApi.fraudRequest(features, null)));
            if (calls.size() == 50) {
                await(calls);
            }
        }
        await(calls);
        assertThat(clickHouse.awaitCount(database + ".predictions WHERE model = '" + model + "'", c -> c >= before + n,
                Duration.ofSeconds(10))).isEqualTo(before + n);
    }

    private static void await(List<CompletableFuture<HttpResponse<String>>> calls) throws Exception {
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        calls.clear();
    }

    private long logged() throws Exception {
        try {
            return clickHouse.count(database + ".predictions WHERE model = '" + model + "'");
        } catch (IOException tableNotThereYet) {
            return 0;
        }
    }

    private JsonNode run() throws Exception {
        HttpResponse<String> response = admin("POST", "/drift/run", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode variants = json.readTree(response.body()).get("variants");
        assertThat(variants).hasSize(1);
        return variants.get(0);
    }

    private static List<String> drifted(JsonNode run) {
        List<String> names = new ArrayList<>();
        run.get("features").forEach(f -> {
            if (f.get("drifted").asBoolean()) {
                names.add(f.get("feature").asText());
            }
        });
        return names;
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return api.admin(TOKEN, "e2e-test", method, "/admin/models/" + model + path, body);
    }
}
