package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 18 end to end: the assembled gateway, real ClickHouse and the real Alertmanager of
 * {@code scripts/services.sh}. Two variants of a binary classifier whose score is its input, so the
 * test draws calibrated scores; labels arrive through {@code /v1/feedback} after the predictions.
 * A labelled reference set is the baseline. In the first half both variants' labels follow their
 * scores; before the labels arrive the monitor judges on its CBPE estimate, and once they arrive the
 * estimate is within its stated error of the realised AUC. In the second half v2's labels become
 * coin flips: two degraded windows in a row fire a ModelQualityDegraded alert for v2, and only v2,
 * in Alertmanager. Windows are forced with {@code POST .../quality/run} and are 15 s long.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QualityAlertE2ETest {

    private static final String TOKEN = "quality-e2e-token";
    private static final Duration WINDOW = Duration.ofSeconds(15);
    private static final int PER_WINDOW = 400;

    private ClickHouse clickHouse;
    private String database;
    private final String model = "quality-" + UUID.randomUUID().toString().substring(0, 8);
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(18);
    private AlertmanagerAlerts alerts;
    private AlertingGateway gateway;
    private InferApi api;

    @BeforeAll
    void start() throws Exception {
        gateway = AlertingGateway.start("quality", model, TOKEN, this::config);
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
    void v2DegradingHalfWayFiresAQualityAlertForV2OnlyAndTheEstimateTracksTheRealisedAuc() throws Exception {
        HttpResponse<String> bad = admin("PUT", "/quality/baseline", "{\"rows\": [{\"score\": 1.5, \"label\": 1}]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("rows[0].score");
        HttpResponse<String> baseline = admin("PUT", "/quality/baseline", referenceSet(4_000));
        assertThat(baseline.statusCode()).as(baseline.body()).isEqualTo(201);
        assertThat(json.readTree(baseline.body()).at("/baselines/0/metrics/roc_auc/value").asDouble()).isBetween(0.80, 0.87);

        // first half: predictions now, labels later
        Map<String, List<Labelled>> firstHalf = Map.of("v1", send("v1"), "v2", send("v2"));
        JsonNode unlabelled = run();
        for (JsonNode variant : unlabelled.get("variants")) {
            assertThat(variant.at("/alert/source").asText()).as(variant.toString()).isEqualTo("estimated");
            assertThat(variant.at("/alert/verdict").asText()).isEqualTo("ok");
            assertThat(variant.get("labelled_rows").asLong()).isZero();
        }
        label(firstHalf.get("v1"), false);
        label(firstHalf.get("v2"), false);
        JsonNode labelled = run();
        for (JsonNode variant : labelled.get("variants")) {
            assertThat(variant.at("/alert/source").asText()).as(variant.toString()).isEqualTo("realised");
            assertThat(variant.at("/alert/verdict").asText()).isEqualTo("ok");
            assertThat(variant.get("labelled_rows").asLong()).isEqualTo(PER_WINDOW);
            JsonNode estimate = variant.at("/estimated/metrics/roc_auc");
            double realised = variant.at("/realised/metrics/roc_auc/value").asDouble();
            // the estimate's interval is its stated error: the realised AUC falls inside it on calibrated scores
            assertThat(realised).as(variant.toString()).isBetween(estimate.get("lower").asDouble(), estimate.get("upper").asDouble());
        }

        // second half: v2's labels no longer follow its scores
        for (int window = 0; window < 2; window++) {
            Thread.sleep(WINDOW.plusSeconds(1).toMillis()); // the previous window's requests leave it
            List<Labelled> v1 = send("v1");
            List<Labelled> v2 = send("v2");
            label(v1, false);
            label(v2, true);
            JsonNode degraded = run();
            JsonNode runV1 = variant(degraded, "v1");
            JsonNode runV2 = variant(degraded, "v2");
            assertThat(runV1.at("/alert/verdict").asText()).as(runV1.toString()).isEqualTo("ok");
            assertThat(runV2.at("/alert/verdict").asText()).as(runV2.toString()).isEqualTo("degraded");
            assertThat(runV2.at("/alert/p_value").asDouble()).isLessThan(0.01);
            // the scores did not change, so the estimate still promises the baseline: only labels reveal this
            assertThat(runV2.at("/estimated/metrics/roc_auc/value").asDouble()).isGreaterThan(0.78);
            assertThat(runV2.at("/realised/metrics/roc_auc/value").asDouble()).isLessThan(0.65);
            assertThat(runV2.at("/alert/transition").asText()).isEqualTo(window == 0 ? "none" : "fired");
            assertThat(runV2.at("/alert/state").asText()).isEqualTo(window == 0 ? "pending" : "firing");
        }

        JsonNode alert = alerts.await(1).get(0);
        assertThat(alert.at("/labels/alertname").asText()).isEqualTo("ModelQualityDegraded");
        assertThat(alert.at("/labels/variant").asText()).isEqualTo("v2");
        assertThat(alert.at("/labels/metric").asText()).isEqualTo("roc_auc");
        assertThat(alert.at("/annotations/summary").asText()).contains(model + "/v2: roc_auc").contains("realised");

        JsonNode latest = json.readTree(admin("GET", "/quality", null).body());
        assertThat(latest.get("source").asText()).isEqualTo("memory");
        String metrics = api.get("/metrics").body();
        assertThat(metrics).contains("modelgate_quality_firing{instance_id=\"e2e-quality\",model=\"" + model + "\",variant=\"v2\"} 1.0");
        assertThat(metrics).contains("modelgate_quality_firing{instance_id=\"e2e-quality\",model=\"" + model + "\",variant=\"v1\"} 0.0");
        assertThat(metrics).contains("modelgate_quality_metric{instance_id=\"e2e-quality\",kind=\"realised\",metric=\"roc_auc\",model=\""
                + model + "\",variant=\"v2\"}");
        assertThat(clickHouse.awaitCount(database + ".quality_reports WHERE kind = 'verdict' AND model = '" + model + "'",
                n -> n >= 8, Duration.ofSeconds(10))).isEqualTo(8);
    }

    private Path config(Path dir) throws Exception {
        Path modelFile = identityModel(dir.resolve("identity.onnx"));
        String yaml = """
                models:
                  %1$s:
                    score_output: score
                    quality: {task: binary_classification, label_metric: fraud, window_minutes: 0.25, threshold: 0.5}
                    variants:
                      v1:
                        backend: {type: onnx, path: "%2$s", device: cpu}
                      v2:
                        backend: {type: onnx, path: "%2$s", device: cpu}
                telemetry: {flush_interval_ms: 200, spool_dir: "%3$s"}
                drift: {enabled: false}
                quality: {enabled: false, min_samples: 300, fire_after: 2, resolve_after: 1, alpha: 0.01, bootstrap_replicates: 100}
                alerts:
                  resend_seconds: 60
                """.formatted(model, modelFile, dir.resolve("spool"));
        Path file = dir.resolve("quality.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** An ONNX model whose output {@code score} is its input {@code x} ([N, 1] floats): the test chooses the scores. */
    static Path identityModel(Path file) throws IOException {
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("identity")
                .addInput(floatColumn("x")).addOutput(floatColumn("score"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("identity").addInput("x").addOutput("score"))
                .build();
        OnnxMl.ModelProto modelProto = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("modelgate-e2e")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
        Files.write(file, modelProto.toByteArray());
        return file;
    }

    private static OnnxMl.ValueInfoProto floatColumn(String name) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    private record Labelled(String requestId, float score) {}

    /** {@link #PER_WINDOW} requests forced to {@code variant}, scores uniform on [0, 1]; waits until logged. */
    private List<Labelled> send(String variant) throws Exception {
        long before = logged();
        List<Labelled> sent = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int i = 0; i < PER_WINDOW; i++) {
            float score = Math.round(random.nextFloat() * 1000) / 1000f;
            scores.add(score);
            String body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[" + score + "]}]}";
            calls.add(api.client().sendAsync(HttpRequest.newBuilder(api.uri("/v2/models/" + model + "/infer"))
                    .header("Content-Type", "application/json").header("X-Force-Variant", variant)
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
            if (calls.size() == 50) {
                collect(calls, scores, variant, sent);
            }
        }
        collect(calls, scores, variant, sent);
        assertThat(clickHouse.awaitCount(database + ".predictions WHERE model = '" + model + "'", c -> c >= before + PER_WINDOW,
                Duration.ofSeconds(10))).isEqualTo(before + PER_WINDOW);
        return sent;
    }

    private static void collect(List<CompletableFuture<HttpResponse<String>>> calls, List<Float> scores, String variant,
                                List<Labelled> sent) throws Exception {
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> response = calls.get(i).get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Variant")).hasValue(variant);
            sent.add(new Labelled(response.headers().firstValue("X-Request-Id").orElseThrow(), scores.get(i)));
        }
        calls.clear();
        scores.clear();
    }

    /** Posts a label for every request: positive with probability {@code score}, or ½ when {@code coinFlips}. */
    private void label(List<Labelled> requests, boolean coinFlips) throws Exception {
        long before = labels();
        ArrayNode body = json.createArrayNode();
        for (Labelled r : requests) {
            double p = coinFlips ? 0.5 : r.score();
            body.addObject().put("request_id", r.requestId()).put("metric", "fraud").put("value", random.nextDouble() < p ? 1 : 0);
        }
        HttpResponse<String> response = api.post("/v1/feedback", body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(clickHouse.awaitCount(database + ".feedback WHERE metric = 'fraud'", c -> c >= before + requests.size(),
                Duration.ofSeconds(10))).isEqualTo(before + requests.size());
    }

    /** {@code {"rows": [...]}}: n calibrated scores and their labels. */
    private String referenceSet(int n) {
        ObjectNode body = json.createObjectNode();
        ArrayNode rows = body.putArray("rows");
        for (int i = 0; i < n; i++) {
            double score = Math.round(random.nextDouble() * 1000) / 1000.0;
            rows.addObject().put("score", score).put("label", random.nextDouble() < score ? 1 : 0);
        }
        return body.toString();
    }

    private long logged() throws Exception {
        return countOrZero(database + ".predictions WHERE model = '" + model + "'");
    }

    private long labels() throws Exception {
        return countOrZero(database + ".feedback WHERE metric = 'fraud'");
    }

    private long countOrZero(String what) throws Exception {
        try {
            return clickHouse.count(what);
        } catch (IOException tableNotThereYet) {
            return 0;
        }
    }

    private JsonNode run() throws Exception {
        HttpResponse<String> response = admin("POST", "/quality/run", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = json.readTree(response.body());
        assertThat(report.get("variants")).hasSize(2);
        return report;
    }

    private static JsonNode variant(JsonNode report, String name) {
        for (JsonNode v : report.get("variants")) {
            if (v.get("variant").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no variant " + name + " in " + report);
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return api.admin(TOKEN, "e2e-test", method, "/admin/models/" + model + path, body);
    }
}
