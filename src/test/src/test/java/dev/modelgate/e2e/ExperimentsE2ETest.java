package dev.modelgate.e2e;

import static dev.modelgate.e2e.ExperimentFleet.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Experiments across a fleet: two gateway processes share a Redis (private to this test, so it can be
 * stopped) and a ClickHouse database. An experiment created through one replica's admin API routes
 * traffic on both; canaries advance, hold, promote and roll back on what the fleet logged; shadows get
 * their share of copies without touching the primary; a Redis outage changes nothing for callers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentsE2ETest {

    private static final String INFER = ExperimentFleet.INFER;

    @RegisterExtension
    static final ExperimentFleet FLEET = new ExperimentFleet(
            dir -> "single-row: {version: \"3\", backend: {type: onnx, path: \"%s\", device: cpu}}".formatted(TestModels.singleRowDemo(dir)),
            "experiments: {controller_interval_ms: 300}\n");

    private final ClickHouse clickHouse = new ClickHouse();
    private final Random random = new Random(11);
    private String database;
    private InferApi apiA;
    private InferApi apiB;

    @BeforeAll
    void useFleet() {
        database = FLEET.database();
        apiA = FLEET.apiA();
        apiB = FLEET.apiB();
    }

    // --- A/B across replicas --------------------------------------------------------------------

    @Test
    void abTestCreatedOnOneReplicaRoutesOnBothWithinASecondStickyAndInProportion() throws Exception {
        HttpResponse<String> created = admin(apiA, "PUT", "/admin/experiments/ab-split", """
                {"model": "fraud-score", "kind": "ab", "variants": [{"name": "v1", "weight": 30}, {"name": "v2", "weight": 70}]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long createdAt = System.nanoTime();
        awaitTrue(() -> experimentHeader(apiB, "probe").equals("ab-split"), Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - createdAt)).as("replica B applies the change").isLessThan(Duration.ofSeconds(1));

        Map<String, Integer> counts = new HashMap<>();
        for (int unit = 0; unit < 1000; unit++) {
            String id = "unit-" + unit;
            String onA = variantFor(apiA, id);
            counts.merge(onA, 1, Integer::sum);
            if (unit % 5 == 0) {
                assertThat(variantFor(apiB, id)).as("same unit, other replica").isEqualTo(onA);
                assertThat(variantFor(apiA, id)).as("same unit, again").isEqualTo(onA);
            }
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("v1", "v2");
        double p = new ChiSquareTest().chiSquareTest(new double[] {300, 700}, new long[] {counts.get("v1"), counts.get("v2")});
        assertThat(p).as("observed %s vs 30/70", counts).isGreaterThan(0.001);
    }

    @Test
    void invalidSpecsAndUnauthenticatedCallsAreRefusedWithClearErrors() throws Exception {
        HttpResponse<String> badWeight = admin(apiA, "PUT", "/admin/experiments/bad", """
                {"model": "fraud-score", "kind": "ab", "variants": [{"name": "v1", "weight": 30}, {"name": "v2", "weight": 120}]}""");
        assertThat(badWeight.statusCode()).isEqualTo(400);
        assertThat(apiA.json(badWeight).get("field").asText()).isEqualTo("variants[1].weight");
        HttpResponse<String> unknownVariant = admin(apiA, "PUT", "/admin/experiments/bad", """
                {"model": "fraud-score", "kind": "ab", "variants": [{"name": "v1", "weight": 50}, {"name": "v9", "weight": 50}]}""");
        assertThat(unknownVariant.statusCode()).isEqualTo(400);
        assertThat(apiA.json(unknownVariant).get("error").asText()).contains("v9");
        HttpResponse<String> noToken = apiA.send(HttpRequest.newBuilder(apiA.uri("/admin/experiments")).GET());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(apiA.json(noToken).get("error").asText()).contains("bearer token");
        HttpResponse<String> forcedWithoutToken = apiA.send(HttpRequest.newBuilder(apiA.uri(INFER))
                .header("X-Force-Variant", "v2").POST(HttpRequest.BodyPublishers.ofString(body(1))));
        assertThat(forcedWithoutToken.statusCode()).isEqualTo(403);
        HttpResponse<String> forced = apiA.send(HttpRequest.newBuilder(apiA.uri(INFER)).header("Authorization", "Bearer " + ExperimentFleet.TOKEN)
                .header("X-Force-Variant", "v2").POST(HttpRequest.BodyPublishers.ofString(body(1))));
        assertThat(forced.headers().firstValue("X-Variant")).contains("v2");
    }

    // --- canaries -------------------------------------------------------------------------------

    private static String canary(String name, String candidate, int minRequests) {
        return """
                {"model": "fraud-score", "kind": "canary", "baseline": "v1", "candidate": "%s", "steps": [10, 50, 100],
                 "min_step_duration_seconds": 1, "min_requests_per_step": %d,
                 "gates": {"max_error_rate_increase": 5, "max_p99_latency_ratio": 20}}""".formatted(candidate, minRequests);
    }

    @Test
    void healthyCanaryAdvancesThroughEveryStepAndIsPromoted() throws Exception {
        assertThat(admin(apiA, "PUT", "/admin/experiments/canary-ok", canary("canary-ok", "v2", 20)).statusCode()).isEqualTo(201);
        driveTrafficUntil(1, () -> canaryState("canary-ok").path("status").asText().equals("promoted"), Duration.ofSeconds(60));

        JsonNode state = canaryState("canary-ok");
        assertThat(state.get("weight_percent").asDouble()).isEqualTo(100.0);
        clickHouse.awaitCount(database + ".experiment_decisions WHERE experiment = 'canary-ok' AND action = 'promote'",
                n -> n > 0, Duration.ofSeconds(5));
        List<String> steps = new ArrayList<>();
        for (JsonNode row : clickHouse.rows("SELECT action, candidate_weight FROM " + database + ".experiment_decisions"
                + " WHERE experiment = 'canary-ok' AND action != 'hold' ORDER BY event_time_ms")) {
            steps.add(row.get("action").asText() + "@" + row.get("candidate_weight").asInt());
        }
        // steps [10, 50, 100]: the last step below 100 promotes, since at 100 no baseline is left to compare with
        assertThat(steps).containsExactly("put@10", "advance@50", "promote@100");
        awaitTrue(() -> variantFor(apiB, "anyone").equals("v2"), Duration.ofSeconds(3));
    }

    @Test
    void candidateThatStartsFailingMidRolloutIsRolledBackWithEvidence() throws Exception {
        assertThat(admin(apiA, "PUT", "/admin/experiments/canary-bad", canary("canary-bad", "single-row", 20)).statusCode()).isEqualTo(201);
        // single-row requests: the candidate is as healthy as the baseline and advances
        driveTrafficUntil(1, () -> canaryState("canary-bad").path("weight_percent").asDouble() >= 50, Duration.ofSeconds(60));
        // two-row requests: the candidate fails every one; callers are still answered by the baseline
        List<Integer> statuses = driveTrafficUntil(2, () -> canaryState("canary-bad").path("status").asText().equals("rolled_back"),
                Duration.ofSeconds(60));
        assertThat(statuses).as("every caller answered, through the fallback").containsOnly(200);

        JsonNode experiment = apiA.json(admin(apiA, "GET", "/admin/experiments/canary-bad", null));
        assertThat(experiment.at("/canary/weight_percent").asDouble()).isZero();
        assertThat(experiment.at("/last_decision/action").asText()).isEqualTo("rollback");
        assertThat(experiment.at("/last_decision/reason").asText()).containsIgnoringCase("error");
        clickHouse.awaitCount(database + ".experiment_decisions WHERE experiment = 'canary-bad' AND action = 'rollback'",
                n -> n > 0, Duration.ofSeconds(5));
        List<JsonNode> rollback = clickHouse.rows("SELECT evidence FROM " + database + ".experiment_decisions"
                + " WHERE experiment = 'canary-bad' AND action = 'rollback'");
        assertThat(rollback).hasSize(1);
        JsonNode evidence = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rollback.get(0).get("evidence").asText());
        assertThat(evidence.at("/candidate/errors").asLong()).isPositive();
        assertThat(evidence.at("/error_rate/p_value").asDouble()).isLessThan(0.01);
        awaitTrue(() -> variantFor(apiB, "unit-x").equals("v1"), Duration.ofSeconds(3));
    }

    @Test
    void canaryWithTooLittleTrafficHolds() throws Exception {
        assertThat(admin(apiA, "PUT", "/admin/experiments/canary-quiet", canary("canary-quiet", "v2", 10_000)).statusCode()).isEqualTo(201);
        sendTraffic(1, Duration.ofSeconds(3));
        JsonNode experiment = apiA.json(admin(apiA, "GET", "/admin/experiments/canary-quiet", null));
        assertThat(experiment.at("/canary/step_index").asInt()).isZero();
        assertThat(experiment.at("/canary/weight_percent").asDouble()).isEqualTo(10.0);
        assertThat(experiment.at("/last_decision/action").asText()).isEqualTo("hold");
    }

    // --- shadows --------------------------------------------------------------------------------

    @Test
    void shadowGetsItsShareLoggedAsPairsAndAFailingShadowNeverTouchesThePrimary() throws Exception {
        List<Long> withoutShadow = latencies(200, 2);
        assertThat(admin(apiA, "PUT", "/admin/experiments/shadow-test", """
                {"model": "fraud-score", "kind": "shadow", "primary": "v1", "shadows": ["single-row"], "sample_rate": 0.5,
                 "max_concurrent": 64}""").statusCode()).isEqualTo(201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            HttpResponse<String> response = apiA.post(INFER, body(1));
            assertThat(response.statusCode()).isEqualTo(200);
            ids.add(response.headers().firstValue("X-Request-Id").orElseThrow());
        }
        String in = "('" + String.join("','", ids) + "')";
        long shadows = clickHouse.awaitCount(database + ".predictions WHERE role = 'shadow' AND request_id IN " + in,
                n -> n >= 150, Duration.ofSeconds(10));
        Thread.sleep(500);
        shadows = clickHouse.count(database + ".predictions WHERE role = 'shadow' AND request_id IN " + in);
        assertThat(shadows).as("half of 400, within 5 standard deviations").isBetween(150L, 250L);
        assertThat(clickHouse.count(database + ".predictions WHERE role = 'shadow' AND status = 200 AND served_variant = 'single-row'"
                + " AND experiment = 'shadow-test' AND request_id IN (SELECT request_id FROM " + database
                + ".predictions WHERE role = 'primary' AND request_id IN " + in + ")")).isEqualTo(shadows);

        // two-row requests: every shadow copy fails, the primary does not notice
        List<Long> withFailingShadow = latencies(200, 2);
        assertThat(clickHouse.awaitCount(database + ".predictions WHERE role = 'shadow' AND status = 400", n -> n > 50, Duration.ofSeconds(10)))
                .isGreaterThan(50);
        long p99Without = percentile(withoutShadow, 0.99);
        long p99With = percentile(withFailingShadow, 0.99);
        assertThat(p99With).as("p99 with a failing shadow %d µs vs %d µs without", p99With, p99Without)
                .isLessThan(2 * p99Without + 20_000);
    }

    // --- Redis outage ----------------------------------------------------------------------------

    @Test
    void redisOutageKeepsBothReplicasServingTheLastKnownSplitAndTheyResyncAfterwards() throws Exception {
        admin(apiA, "PUT", "/admin/experiments/ab-outage", """
                {"model": "fraud-score", "kind": "ab", "variants": [{"name": "v1", "weight": 50}, {"name": "v2", "weight": 50}]}""");
        awaitTrue(() -> experimentHeader(apiB, "probe").equals("ab-outage"), Duration.ofSeconds(3));
        Map<String, String> before = new HashMap<>();
        for (int unit = 0; unit < 50; unit++) {
            before.put("u" + unit, variantFor(apiA, "u" + unit));
        }

        FLEET.stopRedis();
        Thread.sleep(1_500); // a few resync attempts fail meanwhile
        for (int unit = 0; unit < 50; unit++) {
            for (InferApi api : List.of(apiA, apiB)) {
                HttpResponse<String> response = infer(api, "u" + unit, 1);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("X-Experiment")).contains("ab-outage");
                assertThat(response.headers().firstValue("X-Variant")).contains(before.get("u" + unit));
            }
        }
        assertThat(admin(apiA, "PUT", "/admin/experiments/ab-outage", "{}").statusCode()).as("writes need Redis").isIn(400, 503);

        FLEET.startRedis();
        HttpResponse<String> changed = FLEET.adminOnceReachable(apiA, "PUT", "/admin/experiments/ab-outage", """
                {"model": "fraud-score", "kind": "ab", "variants": [{"name": "v1", "weight": 0}, {"name": "v2", "weight": 100}]}""",
                Duration.ofSeconds(10));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        awaitTrue(() -> variantFor(apiB, "u1").equals("v2") && variantFor(apiA, "u2").equals("v2"), Duration.ofSeconds(3));
    }

    // --- helpers --------------------------------------------------------------------------------

    private static String body(int rows) {
        StringBuilder data = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            data.append(r == 0 ? "" : ",").append("120.5,400,2,75,12,0,14,0.3,1,0,200,1.1");
        }
        return "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[" + rows + ",12],\"data\":[" + data + "]}]}";
    }

    private static HttpResponse<String> infer(InferApi api, String unit, int rows) throws Exception {
        return api.send(HttpRequest.newBuilder(api.uri(INFER)).header("X-Unit-Id", unit)
                .POST(HttpRequest.BodyPublishers.ofString(body(rows))));
    }

    private static String variantFor(InferApi api, String unit) {
        try {
            return infer(api, unit, 1).headers().firstValue("X-Variant").orElse("");
        } catch (Exception e) {
            return "";
        }
    }

    private static String experimentHeader(InferApi api, String unit) {
        try {
            return infer(api, unit, 1).headers().firstValue("X-Experiment").orElse("");
        } catch (Exception e) {
            return "?";
        }
    }

    private HttpResponse<String> admin(InferApi api, String method, String path, String json) throws Exception {
        return FLEET.admin(api, method, path, json);
    }

    private JsonNode canaryState(String name) {
        try {
            return apiA.json(admin(apiA, "GET", "/admin/experiments/" + name, null)).path("canary");
        } catch (Exception e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** Sends traffic from fresh units to both replicas, in bursts, until {@code done} or the timeout. */
    private List<Integer> driveTrafficUntil(int rows, BooleanSupplier done, Duration timeout) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached within " + timeout).isLessThan(deadline);
            statuses.addAll(burst(rows));
        }
        return statuses;
    }

    private void sendTraffic(int rows, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            burst(rows);
        }
    }

    /** 40 concurrent requests from fresh units, half to each replica; their statuses. */
    private List<Integer> burst(int rows) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            InferApi api = i % 2 == 0 ? apiA : apiB;
            calls.add(api.client().sendAsync(HttpRequest.newBuilder(api.uri(INFER))
                    .header("X-Unit-Id", "unit-" + random.nextLong())
                    .POST(HttpRequest.BodyPublishers.ofString(body(rows))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            statuses.add(call.get().statusCode());
        }
        Thread.sleep(50);
        return statuses;
    }

    private List<Long> latencies(int n, int rows) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = infer(apiA, "lat-" + i, rows);
            micros.add((System.nanoTime() - start) / 1_000);
            assertThat(response.statusCode()).isEqualTo(200);
        }
        return micros;
    }

    private static long percentile(List<Long> values, double q) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }
}
