package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.e2e.dashboards.ClickHouseMacros;
import dev.modelgate.e2e.dashboards.GrafanaDashboard;
import dev.modelgate.e2e.dashboards.PrometheusRules;
import dev.modelgate.e2e.dashboards.ScaledScoreModel;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboards and alert rules against a real gateway. One gateway process, in a database of its own,
 * gets every kind of data the dashboards read: an A/B test with feedback that the analyzer has analysed
 * (experiment_results, the SRM gauge), a shadow variant whose score is half its primary's (pairs of
 * rows with a known disagreement), a canary promoted by the controller (experiment_decisions), caller
 * errors, a drift reference and a forced drift run (drift_reports, the drift gauge), a quality baseline and a
 * forced quality run over the A/B test's conversions (quality_reports). Then every
 * ClickHouse query of every Grafana dashboard runs as the plugin would send it and must return the
 * columns its panel shows, with numbers that match what was sent or what an independent computation
 * over the raw rows gives, and every metric the alert rules read must be on the gateway's /metrics.
 * <p>
 * The dashboards name their database through the {@code database} text box (default {@code modelgate});
 * this test sets it to its own database, exactly as a user would. Macros and variables are expanded by
 * {@link ClickHouseMacros}; query variables are resolved as Grafana does on load, in order, selecting all
 * options of a multi-value variable ("All") and the first option of a single-value one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardLiveGatewayE2ETest {

    private static final Path DASHBOARDS = GatewayProcess.REPO.resolve("dashboards");
    private static final String TOKEN = "e2e-dashboards-token";
    private static final String INSTANCE_ID = "e2e-dashboards";
    private static final List<String> FEATURES = List.of("amount", "account_age_days", "tx_count_24h", "avg_amount_30d",
            "distance_from_home_km", "is_foreign", "hour_of_day", "merchant_risk", "card_present", "failed_logins_7d",
            "device_age_days", "velocity_ratio");
    private static final String SCORE = "fraud_probability";
    private static final float SHADOW_SCALE = 0.5f;
    private static final double SHADOW_TOLERANCE = 0.05; // the experiments dashboard's default
    private static final int UNITS = 60;
    private static final int MALFORMED = 3;
    private static final int WRONG_SHAPE = 2;
    private static final int CANARY_REQUESTS = 40;
    private static final int PRIMARY = UNITS + MALFORMED + WRONG_SHAPE + CANARY_REQUESTS;
    private static final double CONVERSION = 0.3;
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Duration AWAIT = Duration.ofSeconds(15);

    /** The columns each panel's visualisation and field overrides are built on, by panel title. */
    private static final Map<String, List<String>> PANEL_COLUMNS = Map.ofEntries(
            // gateway-overview.json
            Map.entry("Traffic per model and variant", List.of("time", "model_variant", "requests_per_second")),
            Map.entry("Error rate", List.of("time", "model_variant", "error_ratio_5xx", "error_ratio_4xx")),
            Map.entry("Top errors", List.of("status", "error", "requests", "last_seen")),
            Map.entry("Latency p50/p95/p99", List.of("time", "model_variant", "p50", "p95", "p99")),
            Map.entry("Requests within 250 ms (SLO 99%)", List.of("model", "within_250ms")),
            Map.entry("Logged rows per minute per gateway instance", List.of("time", "instance_id", "rows_per_minute")),
            Map.entry("Last logged row per instance", List.of("instance_id", "last_row_at", "seconds_since_last_row", "rows")),
            // experiments.json
            Map.entry("Assigned units per variant vs configured weights",
                    List.of("experiment", "variant", "units", "observed_share", "configured_share")),
            Map.entry("SRM p-value over time", List.of("time", "experiment", "srm_p")),
            Map.entry("Metric per variant", List.of("time", "experiment_metric_variant", "value")),
            Map.entry("Difference vs control with 95% CI",
                    List.of("time", "experiment_metric_variant", "difference", "difference_ci_low", "difference_ci_high")),
            Map.entry("Latest results", List.of("experiment", "metric", "variant", "is_control", "n", "estimate", "lift",
                    "ci_low", "ci_high", "p_value", "p_value_sequential", "chance_to_beat", "srm_p_value", "decision", "analysed_at")),
            Map.entry("Canary weight", List.of("time", "experiment", "candidate_weight_percent")),
            Map.entry("Decisions timeline", List.of("time", "experiment", "action", "actor", "candidate_weight", "reason")),
            Map.entry("Shadow agreement",
                    List.of("time", "shadow", "pairs", "shadow_failed_share", "agreement", "mean_abs_difference")),
            // drift.json
            Map.entry("Drift statistic per feature", List.of("time", "feature", "statistic")),
            Map.entry("Drifted features (latest run)", List.of("feature", "method", "statistic", "p_value", "threshold",
                    "drifted", "n_reference", "n_current", "window_start", "window_end")),
            Map.entry("Drift verdict timeline", List.of("time", "model_variant", "verdict_code", "drifted_share")),
            Map.entry("Prediction distribution: reference vs current", List.of("output_range", "reference_share", "current_share")),
            // quality.json
            Map.entry("Realised quality per variant", List.of("time", "variant", "realised", "lower", "upper")),
            Map.entry("Estimated vs realised", List.of("time", "series", "value")),
            Map.entry("Latest quality report", List.of("variant", "kind", "metric", "value", "lower", "upper", "n", "window_start",
                    "window_end")),
            Map.entry("Reliability curve (latest run)", List.of("variant", "mean_score", "fraction_positive", "rows")),
            Map.entry("Degradation verdict timeline", List.of("time", "model_variant", "verdict_code", "p_value")));

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_dashboards");
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(7);
    /** Per A/B variant: {units, converted units}, from the responses and the feedback this test sent. */
    private final Map<String, long[]> arms = new HashMap<>();
    private GatewayProcess gateway;
    private InferApi api;
    private Instant trafficStart;
    private int shadowCopies;
    private JsonNode driftRunOfV1;

    @BeforeAll
    void startGatewayAndSendEveryKindOfData() throws Exception {
        Path workDir = Files.createTempDirectory("modelgate-e2e-dashboards");
        gateway = GatewayProcess.start(config(workDir), Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_INSTANCE_ID", INSTANCE_ID,
                "MODELGATE_ADMIN_TOKEN", TOKEN), workDir);
        api = new InferApi(gateway.base);
        trafficStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        // caller errors before any experiment exists: no shadow copy, no canary error
        for (int i = 0; i < MALFORMED; i++) {
            expectStatus(400, "fraud-score", "{\"inputs\": [");
        }
        for (int i = 0; i < WRONG_SHAPE; i++) {
            expectStatus(400, "fraud-score", InferApi.fraudRequest(new float[] {1, 2, 3}, null));
        }
        expectAdmin(201, "PUT", "/admin/experiments/checkout", """
                {"model": "fraud-score", "kind": "ab", "variants": [{"name": "v1", "weight": 50}, {"name": "v2", "weight": 50}],
                 "metrics": [{"name": "converted", "kind": "binary"}]}""");
        expectAdmin(201, "PUT", "/admin/experiments/shadow-v3", """
                {"model": "fraud-score", "kind": "shadow", "primary": "v1", "shadows": ["v3"], "sample_rate": 1.0, "max_concurrent": 64}""");
        expectAdmin(201, "PUT", "/admin/experiments/canary", """
                {"model": "fraud-canary", "kind": "canary", "baseline": "v1", "candidate": "v2", "steps": [50, 100],
                 "min_step_duration_seconds": 0, "min_requests_per_step": 5,
                 "gates": {"max_error_rate_increase": 5.0, "max_p99_latency_ratio": 100}}""");
        expectAdmin(201, "PUT", "/admin/models/fraud-score/reference", referenceRows(300));

        List<String> feedback = new ArrayList<>();
        for (int unit = 0; unit < UNITS; unit++) {
            HttpResponse<String> response = infer("fraud-score", ServeAndLogE2ETest.randomTransaction(random), "unit-" + unit);
            String variant = response.headers().firstValue("X-Variant").orElseThrow();
            boolean converted = random.nextDouble() < CONVERSION;
            long[] arm = arms.computeIfAbsent(variant, v -> new long[2]);
            arm[0]++;
            arm[1] += converted ? 1 : 0;
            shadowCopies += variant.equals("v1") ? 1 : 0;
            feedback.add("{\"request_id\":\"" + response.headers().firstValue("X-Request-Id").orElseThrow()
                    + "\",\"metric\":\"converted\",\"value\":" + (converted ? 1 : 0) + "}");
        }
        assertThat(api.post("/v1/feedback", "[" + String.join(",", feedback) + "]").statusCode()).isEqualTo(202);
        for (int i = 0; i < CANARY_REQUESTS; i++) {
            infer("fraud-canary", ServeAndLogE2ETest.randomTransaction(random), "canary-unit-" + i);
        }
        assertThat(clickHouse.awaitCount(database + ".predictions", n -> n >= PRIMARY + shadowCopies, AWAIT))
                .as("primary and shadow rows logged").isEqualTo(PRIMARY + shadowCopies);
        assertThat(clickHouse.awaitCount(database + ".experiment_decisions WHERE experiment = 'canary' AND action = 'promote'",
                n -> n > 0, AWAIT)).as("the canary controller promotes a healthy candidate").isEqualTo(1);
        long[] v2 = arms.get("v2");
        assertThat(clickHouse.awaitCount(database + ".experiment_results WHERE experiment = 'checkout' AND variant = 'v2'"
                        + " AND n = " + v2[0] + " AND abs(estimate - " + (double) v2[1] / v2[0] + ") < 1e-12", n -> n > 0, AWAIT))
                .as("an analysis run over every unit and its feedback").isPositive();

        HttpResponse<String> run = admin("POST", "/admin/models/fraud-score/drift/run", "");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        for (JsonNode variantRun : api.json(run).path("variants")) {
            if (variantRun.path("variant").asText().equals("v1")) {
                driftRunOfV1 = variantRun;
            }
        }
        assertThat(driftRunOfV1).as(run.body()).isNotNull();
        assertThat(clickHouse.awaitCount(database + ".drift_reports WHERE variant = 'v1' AND feature = ''", n -> n > 0, AWAIT)).isEqualTo(1);

        // the A/B test's conversions are fraud-score's quality labels too
        expectAdmin(201, "PUT", "/admin/models/fraud-score/quality/baseline",
                "{\"rows\": [{\"score\": 0.2, \"label\": 0}, {\"score\": 0.7, \"label\": 1}, {\"score\": 0.4, \"label\": 1}]}");
        expectAdmin(200, "POST", "/admin/models/fraud-score/quality/run", "");
        assertThat(clickHouse.awaitCount(database + ".quality_reports WHERE kind = 'verdict'", n -> n >= 3, AWAIT)).isEqualTo(3);
    }

    private static Path config(Path dir) throws IOException {
        Path demo = GatewayProcess.REPO.resolve("demo/fraud-score.onnx");
        Path halved = ScaledScoreModel.write(demo, SCORE, SHADOW_SCALE, dir.resolve("fraud-score-halved.onnx"));
        String variant = "{version: \"%s\", backend: {type: onnx, path: \"%s\", device: cpu}, feature_names: {features: [%s]}}";
        String features = String.join(", ", FEATURES);
        String yaml = """
                models:
                  fraud-score:
                    timeout_ms: 2000
                    default_variant: v1
                    score_output: %1$s
                    quality: {task: binary_classification, label_metric: converted}
                    variants:
                      v1: %2$s
                      v2: %3$s
                      v3: %4$s
                  fraud-canary:
                    timeout_ms: 2000
                    default_variant: v1
                    score_output: %1$s
                    variants:
                      v1: %2$s
                      v2: %3$s
                server: {max_body_bytes: 4194304}
                telemetry: {flush_interval_ms: 200, spool_dir: "%5$s"}
                experiments: {controller_interval_ms: 300, analysis_interval_ms: 1000}
                drift: {enabled: false, window_minutes: 10, min_samples: 10}
                """.formatted(SCORE, variant.formatted("1", demo, features), variant.formatted("2", demo, features),
                variant.formatted("3", halved, features), dir.resolve("spool"));
        Path file = dir.resolve("dashboards.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Reference rows like the traffic, and a uniform score: the score's distribution surely differs. */
    private String referenceRows(int n) {
        ObjectNode body = json.createObjectNode();
        ArrayNode rows = body.putArray("rows");
        for (int i = 0; i < n; i++) {
            float[] features = ServeAndLogE2ETest.randomTransaction(random);
            ObjectNode row = rows.addObject();
            for (int f = 0; f < FEATURES.size(); f++) {
                row.put(FEATURES.get(f), features[f]);
            }
            row.put(SCORE, random.nextDouble());
        }
        return body.toString();
    }

    private HttpResponse<String> infer(String model, float[] features, String unit) throws IOException, InterruptedException {
        HttpResponse<String> response = api.post("/v2/models/" + model + "/infer", InferApi.fraudRequest(features, unit));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private void expectStatus(int status, String model, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = api.post("/v2/models/" + model + "/infer", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    private void expectAdmin(int status, String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = admin(method, path, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
    }

    private HttpResponse<String> admin(String method, String path, String body) throws IOException, InterruptedException {
        return api.admin(TOKEN, "e2e-experimenter", method, path, body);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        clickHouse.dropDatabase(database);
    }

    // --- every dashboard ------------------------------------------------------------------------------

    @Test
    void everyDashboardQueryRunsOnClickHouseAndReturnsTheColumnsItsPanelShows() throws Exception {
        List<Path> files = dashboardFiles();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("gateway-overview.json", "experiments.json", "drift.json", "quality.json");
        for (Path file : files) {
            GrafanaDashboard dashboard = GrafanaDashboard.load(file);
            ClickHouseMacros macros = new ClickHouseMacros(resolveVariables(dashboard));
            for (GrafanaDashboard.PanelQuery query : dashboard.panelQueries()) {
                String where = dashboard.title() + " / " + query.panel() + " / " + query.refId();
                assertThat(PANEL_COLUMNS).as("expected columns for %s: add them to PANEL_COLUMNS", where).containsKey(query.panel());
                List<JsonNode> rows = clickHouse.rows(macros.expand(query.rawSql()));
                assertThat(rows).as(where).isNotEmpty();
                for (JsonNode row : rows) {
                    List<String> columns = new ArrayList<>();
                    row.fieldNames().forEachRemaining(columns::add);
                    assertThat(columns).as(where).isEqualTo(PANEL_COLUMNS.get(query.panel()));
                }
            }
        }
    }

    @Test
    void pickersOfferWhatWasLoggedAndOnlyWhatAnswersCallers() throws Exception {
        ClickHouseMacros.Scope overview = resolveVariables(dashboard("gateway-overview.json"));
        assertThat(overview.variables().get("model")).containsExactly("fraud-canary", "fraud-score");
        // malformed requests never reached a variant (""); the shadow v3 never answers callers
        assertThat(overview.variables().get("variant")).containsExactly("", "v1", "v2");

        ClickHouseMacros.Scope experiments = resolveVariables(dashboard("experiments.json"));
        assertThat(experiments.variables().get("experiment")).containsExactly("canary", "checkout", "shadow-v3");

        ClickHouseMacros.Scope drift = resolveVariables(dashboard("drift.json"));
        assertThat(drift.variables().get("model")).containsExactly("fraud-score");
        assertThat(drift.variables().get("variant")).containsExactly("v1");
        assertThat(drift.variables().get("output")).containsExactly(SCORE);

        ClickHouseMacros.Scope quality = resolveVariables(dashboard("quality.json"));
        assertThat(quality.variables().get("model")).containsExactly("fraud-score");
        // the shadow v3 is judged on the labels of the requests it saw
        assertThat(quality.variables().get("variant")).containsExactly("v1", "v2", "v3");
        assertThat(quality.variables().get("metric")).containsExactly("accuracy"); // the first of the realised metrics
    }

    // --- gateway overview -----------------------------------------------------------------------------

    @Test
    void trafficAndErrorPanelsAddUpToTheRequestsSent() throws Exception {
        Map<String, List<JsonNode>> panels = run("gateway-overview.json");

        double requests = panels.get("Traffic per model and variant").stream()
                .mapToDouble(row -> row.get("requests_per_second").asDouble() * INTERVAL.toSeconds()).sum();
        assertThat(requests).as("primary requests; shadow copies left out").isCloseTo(PRIMARY, within(1e-9));

        for (JsonNode row : panels.get("Error rate")) {
            assertThat(row.get("error_ratio_5xx").asDouble()).as(row.toString()).isZero();
            if (row.get("model_variant").asText().equals("fraud-score / (unrouted)")) {
                assertThat(row.get("error_ratio_4xx").asDouble()).as(row.toString()).isEqualTo(1.0);
            }
        }
        assertThat(panels.get("Error rate")).extracting(row -> row.get("model_variant").asText())
                .contains("fraud-score / v1", "fraud-score / (unrouted)", "fraud-canary / v2");

        Map<String, Integer> errors = new LinkedHashMap<>();
        for (JsonNode row : panels.get("Top errors")) {
            assertThat(row.get("status").asInt()).isEqualTo(400);
            errors.put(row.get("error").asText(), row.get("requests").asInt());
        }
        assertThat(errors.values()).containsExactly(MALFORMED, WRONG_SHAPE);
        assertThat(new ArrayList<>(errors.keySet()).get(0)).startsWith("malformed JSON");
        assertThat(new ArrayList<>(errors.keySet()).get(1)).contains("shape");
    }

    @Test
    void latencyPanelsShowOrderedQuantilesAndTheSloShareOfEachModel() throws Exception {
        Map<String, List<JsonNode>> panels = run("gateway-overview.json");
        for (JsonNode row : panels.get("Latency p50/p95/p99")) {
            double p50 = row.get("p50").asDouble();
            double p95 = row.get("p95").asDouble();
            double p99 = row.get("p99").asDouble();
            assertThat(p50).as(row.toString()).isPositive().isLessThanOrEqualTo(p95);
            assertThat(p95).as(row.toString()).isLessThanOrEqualTo(p99);
        }
        List<JsonNode> slo = panels.get("Requests within 250 ms (SLO 99%)");
        assertThat(slo).extracting(row -> row.get("model").asText()).containsExactly("fraud-canary", "fraud-score");
        slo.forEach(row -> assertThat(row.get("within_250ms").asDouble()).isBetween(0.0, 1.0));
    }

    @Test
    void loggingHealthPanelsAccountForEveryRowOfTheInstanceShadowsIncluded() throws Exception {
        Map<String, List<JsonNode>> panels = run("gateway-overview.json");
        long perMinute = panels.get("Logged rows per minute per gateway instance").stream()
                .filter(row -> row.get("instance_id").asText().equals(INSTANCE_ID))
                .mapToLong(row -> row.get("rows_per_minute").asLong()).sum();
        assertThat(perMinute).isEqualTo(PRIMARY + shadowCopies);

        JsonNode last = panels.get("Last logged row per instance").get(0);
        assertThat(last.get("instance_id").asText()).isEqualTo(INSTANCE_ID);
        assertThat(last.get("rows").asLong()).isEqualTo(PRIMARY + shadowCopies);
        assertThat(last.get("seconds_since_last_row").asLong()).isBetween(0L, 120L);
    }

    // --- experiments ----------------------------------------------------------------------------------

    @Test
    void splitPanelsShowTheUnitsSentAgainstTheWeightsAndTheirSrmPValue() throws Exception {
        Map<String, List<JsonNode>> panels = run("experiments.json");
        Map<String, JsonNode> split = byKey(panels.get("Assigned units per variant vs configured weights"), "experiment", "variant");
        for (String variant : List.of("v1", "v2")) {
            JsonNode row = split.get("checkout/" + variant);
            assertThat(row.get("units").asLong()).as(variant).isEqualTo(arms.get(variant)[0]);
            assertThat(row.get("observed_share").asDouble()).isCloseTo((double) arms.get(variant)[0] / UNITS, within(1e-12));
            assertThat(row.get("configured_share").asDouble()).isEqualTo(0.5);
        }
        // promoted: the candidate is configured for everyone now
        assertThat(split.get("canary/v2").get("configured_share").asDouble()).isEqualTo(1.0);
        assertThat(split.get("canary/v1").get("configured_share").asDouble()).isEqualTo(0.0);
        assertThat(split.get("canary/v1").get("units").asLong() + split.get("canary/v2").get("units").asLong())
                .isEqualTo(CANARY_REQUESTS);

        // the latest run's SRM p-value: chi-square of the units the responses reported vs 50/50, by Commons Math
        double srm = new ChiSquareTest().chiSquareTest(new double[] {0.5, 0.5}, new long[] {arms.get("v1")[0], arms.get("v2")[0]});
        for (JsonNode row : panels.get("Latest results")) {
            if (row.get("experiment").asText().equals("checkout")) {
                assertThat(row.get("srm_p_value").asDouble()).as(row.toString()).isCloseTo(srm, within(1e-9));
            }
        }
        assertThat(panels.get("SRM p-value over time")).extracting(row -> row.get("experiment").asText()).contains("checkout");
        panels.get("SRM p-value over time").forEach(row -> assertThat(row.get("srm_p").asDouble()).isBetween(0.0, 1.0));
    }

    @Test
    void metricPanelsShowTheConversionSentPerVariantAndADifferenceInsideItsInterval() throws Exception {
        Map<String, List<JsonNode>> panels = run("experiments.json");
        double control = (double) arms.get("v1")[1] / arms.get("v1")[0];
        double treatment = (double) arms.get("v2")[1] / arms.get("v2")[0];

        Map<String, JsonNode> latest = byKey(panels.get("Latest results"), "experiment", "variant");
        assertThat(latest.get("checkout/v1").get("estimate").asDouble()).isCloseTo(control, within(1e-12));
        assertThat(latest.get("checkout/v2").get("estimate").asDouble()).isCloseTo(treatment, within(1e-12));
        assertThat(latest.get("checkout/v2").get("n").asLong()).isEqualTo(arms.get("v2")[0]);

        List<JsonNode> series = panels.get("Metric per variant");
        assertThat(series).extracting(row -> row.get("experiment_metric_variant").asText())
                .contains("checkout / converted / v1", "checkout / converted / v2");

        List<JsonNode> difference = panels.get("Difference vs control with 95% CI");
        JsonNode last = difference.get(difference.size() - 1);
        assertThat(last.get("experiment_metric_variant").asText()).isEqualTo("checkout / converted / v2");
        assertThat(last.get("difference").asDouble()).isCloseTo(treatment - control, within(1e-12));
        assertThat(last.get("difference_ci_low").asDouble()).isLessThan(treatment - control);
        assertThat(last.get("difference_ci_high").asDouble()).isGreaterThan(treatment - control);
    }

    @Test
    void canaryPanelsShowThePromotionAndWhoChangedWhat() throws Exception {
        Map<String, List<JsonNode>> panels = run("experiments.json");
        List<JsonNode> weights = panels.get("Canary weight");
        assertThat(weights).allSatisfy(row -> assertThat(row.get("experiment").asText()).isEqualTo("canary"));
        assertThat(weights.get(weights.size() - 1).get("candidate_weight_percent").asDouble()).isEqualTo(100.0);

        List<JsonNode> decisions = panels.get("Decisions timeline");
        assertThat(decisions).filteredOn(row -> row.get("action").asText().equals("put"))
                .extracting(row -> row.get("experiment").asText() + " by " + row.get("actor").asText())
                .containsExactlyInAnyOrder("canary by e2e-experimenter", "checkout by e2e-experimenter", "shadow-v3 by e2e-experimenter");
        JsonNode promotion = decisions.stream().filter(row -> row.get("action").asText().equals("promote")).findFirst().orElseThrow();
        assertThat(promotion.get("actor").asText()).isEqualTo("canary-controller");
        assertThat(promotion.get("reason").asText()).isNotBlank();
        assertThat(decisions).filteredOn(row -> row.get("action").asText().equals("hold")).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void shadowAgreementMatchesThePairsOfRawRows() throws Exception {
        // independent of the panel's JOIN: the primary scores of v1 rows; the shadow answers half of each
        List<Double> primaryScores = new ArrayList<>();
        for (JsonNode row : clickHouse.rows("SELECT score FROM " + database + ".predictions"
                + " WHERE model = 'fraud-score' AND role = 'primary' AND status = 200 AND served_variant = 'v1'")) {
            primaryScores.add(row.get("score").asDouble());
        }
        assertThat(primaryScores).hasSize(shadowCopies);
        double agreeing = primaryScores.stream().filter(s -> s * (1 - SHADOW_SCALE) <= SHADOW_TOLERANCE).count();
        double meanAbsDifference = primaryScores.stream().mapToDouble(s -> s * (1 - SHADOW_SCALE)).average().orElseThrow();

        List<JsonNode> shadow = run("experiments.json").get("Shadow agreement");
        long pairs = shadow.stream().mapToLong(row -> row.get("pairs").asLong()).sum();
        assertThat(pairs).isEqualTo(shadowCopies);
        double weightedAgreement = shadow.stream().mapToDouble(row -> row.get("agreement").asDouble() * row.get("pairs").asLong()).sum();
        double weightedDifference = shadow.stream()
                .mapToDouble(row -> row.get("mean_abs_difference").asDouble() * row.get("pairs").asLong()).sum();
        assertThat(weightedAgreement / pairs).isCloseTo(agreeing / shadowCopies, within(1e-9));
        assertThat(weightedDifference / pairs).isCloseTo(meanAbsDifference, within(1e-6)); // the shadow multiplies in float32
        shadow.forEach(row -> {
            assertThat(row.get("shadow").asText()).isEqualTo("shadow-v3 / fraud-score / v3");
            assertThat(row.get("shadow_failed_share").asDouble()).isZero();
        });
    }

    // --- drift ----------------------------------------------------------------------------------------

    @Test
    void driftPanelsShowTheForcedRunFeatureByFeature() throws Exception {
        Map<String, List<JsonNode>> panels = run("drift.json");
        Map<String, JsonNode> runFeatures = new HashMap<>();
        driftRunOfV1.path("features").forEach(f -> runFeatures.put(f.get("feature").asText(), f));
        assertThat(runFeatures).containsKeys("amount", SCORE);

        List<JsonNode> latest = panels.get("Drifted features (latest run)");
        assertThat(latest).extracting(row -> row.get("feature").asText()).containsExactlyInAnyOrderElementsOf(runFeatures.keySet());
        for (JsonNode row : latest) {
            JsonNode expected = runFeatures.get(row.get("feature").asText());
            assertThat(row.get("statistic").asDouble()).as(row.toString()).isEqualTo(expected.get("statistic").asDouble());
            assertThat(row.get("drifted").asInt() == 1).as(row.toString()).isEqualTo(expected.get("drifted").asBoolean());
        }
        assertThat(latest.get(0).get("drifted").asInt()).as("drifted features first").isEqualTo(1);

        assertThat(panels.get("Drift statistic per feature")).extracting(row -> row.get("feature").asText())
                .containsExactlyInAnyOrderElementsOf(runFeatures.keySet());
        JsonNode verdict = panels.get("Drift verdict timeline").get(0);
        assertThat(verdict.get("model_variant").asText()).isEqualTo("fraud-score / v1");
        int code = Map.of("drift", 1, "no_drift", 0, "unknown", -1).get(driftRunOfV1.get("verdict").asText());
        assertThat(verdict.get("verdict_code").asInt()).isEqualTo(code);
        assertThat(verdict.get("drifted_share").asDouble()).isCloseTo(driftRunOfV1.get("drifted_share").asDouble(), within(1e-12));
    }

    @Test
    void predictionDistributionCountsTheServedScoresInTheReferenceBins() throws Exception {
        // independent of the panel's string handling: the stored profile parsed as JSON, the scores binned in Java
        JsonNode profile = json.readTree(clickHouse.rows("SELECT profile FROM " + database + ".reference_profiles"
                + " WHERE model = 'fraud-score' AND variant = 'v1' ORDER BY created_at_ms DESC LIMIT 1").get(0).get("profile").asText());
        JsonNode score = profile.at("/features/" + SCORE);
        List<Double> edges = new ArrayList<>();
        score.get("binEdges").forEach(e -> edges.add(e.asDouble()));
        long referenceRows = 0;
        for (JsonNode count : score.get("binCounts")) {
            referenceRows += count.asLong();
        }
        long[] current = new long[edges.size() + 1];
        List<JsonNode> served = clickHouse.rows("SELECT score FROM " + database + ".predictions"
                + " WHERE model = 'fraud-score' AND role = 'primary' AND status = 200 AND served_variant = 'v1'");
        for (JsonNode row : served) {
            double value = row.get("score").asDouble();
            current[(int) edges.stream().filter(e -> e < value).count()]++; // bin k holds (edge[k-1], edge[k]]
        }

        List<JsonNode> bins = run("drift.json").get("Prediction distribution: reference vs current");
        assertThat(bins).hasSize(edges.size() + 1);
        for (int k = 0; k < bins.size(); k++) {
            JsonNode bin = bins.get(k);
            assertThat(bin.get("reference_share").asDouble()).as(bin.toString())
                    .isCloseTo((double) score.get("binCounts").get(k).asLong() / referenceRows, within(1e-12));
            assertThat(bin.get("current_share").asDouble()).as(bin.toString())
                    .isCloseTo((double) current[k] / served.size(), within(1e-12));
        }
        assertThat(bins.get(0).get("output_range").asText()).startsWith("(-inf, ");
        assertThat(bins.get(bins.size() - 1).get("output_range").asText()).endsWith(", inf)");
    }

    // --- alert rules ----------------------------------------------------------------------------------

    @Test
    void everyMetricTheAlertRulesUseIsOnTheGatewaysMetricsEndpoint() throws Exception {
        Set<String> exposed = new HashSet<>();
        for (String line : api.get("/metrics").body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                exposed.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> used = new HashSet<>();
        try (Stream<Path> files = Files.list(DASHBOARDS.resolve("prometheus/rules"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                used.addAll(PrometheusRules.load(file).scrapedMetricNames());
            }
        }
        assertThat(used).contains("resilience4j_circuitbreaker_state", "modelgate_drift_firing", "modelgate_experiment_srm_alarm");
        assertThat(exposed).as("series on /metrics").containsAll(used);
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static GrafanaDashboard dashboard(String file) throws IOException {
        return GrafanaDashboard.load(DASHBOARDS.resolve("grafana/dashboards").resolve(file));
    }

    private Map<String, List<JsonNode>> run(String file) throws Exception {
        GrafanaDashboard dashboard = dashboard(file);
        ClickHouseMacros macros = new ClickHouseMacros(resolveVariables(dashboard));
        Map<String, List<JsonNode>> rowsByPanel = new LinkedHashMap<>();
        for (GrafanaDashboard.PanelQuery query : dashboard.panelQueries()) {
            rowsByPanel.put(query.panel(), clickHouse.rows(macros.expand(query.rawSql())));
        }
        return rowsByPanel;
    }

    /** Rows of a table panel by "key1/key2". */
    private static Map<String, JsonNode> byKey(List<JsonNode> rows, String first, String second) {
        Map<String, JsonNode> byKey = new HashMap<>();
        rows.forEach(row -> byKey.put(row.get(first).asText() + "/" + row.get(second).asText(), row));
        return byKey;
    }

    /**
     * As Grafana does on load: text boxes keep their shipped value (but {@code database} is this test's),
     * then each query variable in order, all options selected when it is multi-value, else the first.
     */
    private ClickHouseMacros.Scope resolveVariables(GrafanaDashboard dashboard) throws IOException, InterruptedException {
        Map<String, List<String>> textboxes = new HashMap<>();
        dashboard.textboxes().forEach((name, value) -> textboxes.put(name, List.of(value)));
        textboxes.put("database", List.of(database));
        ClickHouseMacros.Scope scope = new ClickHouseMacros.Scope(trafficStart.minus(Duration.ofMinutes(5)),
                Instant.now().plus(Duration.ofMinutes(1)), INTERVAL, textboxes);
        for (GrafanaDashboard.VariableQuery variable : dashboard.variables()) {
            List<String> values = new ArrayList<>();
            for (JsonNode row : clickHouse.rows(new ClickHouseMacros(scope).expand(variable.rawSql()))) {
                values.add(row.elements().next().asText());
            }
            assertThat(values).as("options of variable %s in %s", variable.name(), dashboard.title()).isNotEmpty();
            scope = scope.withVariable(variable.name(), variable.multi() ? values : values.subList(0, 1));
        }
        return scope;
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DASHBOARDS.resolve("grafana/dashboards"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
