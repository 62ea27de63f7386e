package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The canary's guardrail-metric gate end to end: fresh units call the gateway, a conversion is drawn
 * (seeded) for each at a known rate per variant and posted to {@code /v1/feedback}, and the controller
 * must roll back a candidate that converts far worse although it serves every request as well and as
 * fast as the baseline; a candidate that converts as well is promoted through the same gate.
 *
 * <p>400 requests per variant per step: at 20 % against 5 % the always-valid p-value is about 1e-6 there
 * (see {@code CanaryGuardrailTest}), far below alpha 0.01, so the rollback does not hinge on the seed or
 * on feedback still in flight when the step's minimum traffic is reached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryGuardrailE2ETest {

    private static final String TOKEN = "e2e-guardrail-token";
    private static final String INFER = "/v2/models/fraud-score/infer";

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_guardrail");
    private final Random random = new Random(20_260_302);
    private GatewayProcess gateway;
    private InferApi api;

    @BeforeAll
    void startGateway() throws Exception {
        Path workDir = Files.createTempDirectory("modelgate-e2e-guardrail");
        gateway = GatewayProcess.start(config(workDir), Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_SPOOL_DIR", workDir.resolve("spool").toString(),
                "MODELGATE_ADMIN_TOKEN", TOKEN), workDir);
        api = new InferApi(gateway.base);
        // before any experiment exists: a cold engine must not count against the first canary's candidate
        for (int burst = 0; burst < 4; burst++) {
            for (CompletableFuture<HttpResponse<String>> call : burst("warm-up")) {
                call.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Path config(Path dir) throws Exception {
        return TestConfigs.twoVariants(dir, "guardrail.yaml", """
                experiments: {controller_interval_ms: 300}
                telemetry: {flush_interval_ms: 200}
                """);
    }

    @AfterAll
    void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        clickHouse.dropDatabase(database);
    }

    @AfterEach
    void deleteCanaries() throws Exception {
        for (JsonNode experiment : api.json(admin("GET", "/admin/experiments", null)).get("experiments")) {
            admin("DELETE", "/admin/experiments/" + experiment.at("/spec/name").asText(), null);
        }
    }

    @Test
    void candidateThatConvertsMuchWorseIsRolledBackByTheGuardrailThoughErrorsAndLatencyAreHealthy() throws Exception {
        createCanary("checkout-worse");

        List<Integer> statuses = driveUntilFinal("checkout-worse", Map.of("v1", 0.20, "v2", 0.05));

        assertThat(statuses).as("every request served").containsOnly(200);
        JsonNode experiment = api.json(admin("GET", "/admin/experiments/checkout-worse", null));
        assertThat(experiment.at("/canary/status").asText()).as(experiment.toString()).isEqualTo("rolled_back");
        assertThat(experiment.at("/canary/weight_percent").asDouble()).isZero();
        assertThat(experiment.at("/last_decision/reason").asText()).contains("guardrail converted is significantly worse");

        JsonNode evidence = decisionEvidence("checkout-worse", "rollback");
        JsonNode converted = evidence.at("/guardrails/0");
        assertThat(converted.path("metric").asText()).isEqualTo("converted");
        assertThat(converted.path("verdict").asText()).isEqualTo("harmful");
        assertThat(converted.path("estimate").asDouble()).isNegative();
        assertThat(converted.at("/confidence_sequence/1").asDouble()).as("the whole interval is harm").isNegative();
        assertThat(converted.path("p_value").asDouble()).isLessThan(0.01);
        assertThat(converted.at("/candidate/units").asLong()).isPositive();
        assertThat(converted.at("/baseline/mean").asDouble()).isGreaterThan(converted.at("/candidate/mean").asDouble());
        // the request-level gates had nothing against the candidate
        assertThat(evidence.at("/error_rate/increase_points").asDouble()).isLessThan(evidence.at("/error_rate/max_increase_points").asDouble());
        assertThat(evidence.at("/candidate/requests").asLong()).isGreaterThanOrEqualTo(400);
        assertThat(evidence.at("/latency/ratio").asDouble()).isLessThan(evidence.at("/latency/max_ratio").asDouble());
        assertThat(variantOf("anyone")).as("the baseline serves everyone again").isEqualTo("v1");
    }

    @Test
    void candidateThatConvertsAsWellPassesTheGuardrailAndIsPromoted() throws Exception {
        createCanary("checkout-same");

        driveUntilFinal("checkout-same", Map.of("v1", 0.20, "v2", 0.20));

        JsonNode experiment = api.json(admin("GET", "/admin/experiments/checkout-same", null));
        assertThat(experiment.at("/canary/status").asText()).as(experiment.toString()).isEqualTo("promoted");
        JsonNode converted = decisionEvidence("checkout-same", "promote").at("/guardrails/0");
        assertThat(converted.path("metric").asText()).isEqualTo("converted");
        assertThat(converted.path("verdict").asText()).isEqualTo("no_harm_detected");
        assertThat(converted.at("/candidate/units").asLong()).isPositive();
    }

    private void createCanary(String name) throws Exception {
        HttpResponse<String> created = admin("PUT", "/admin/experiments/" + name, """
                {"model": "fraud-score", "kind": "canary", "baseline": "v1", "candidate": "v2", "steps": [50, 100],
                 "min_step_duration_seconds": 1, "min_requests_per_step": 400,
                 "gates": {"max_error_rate_increase": 5, "max_p99_latency_ratio": 20},
                 "metrics": [{"name": "converted", "kind": "binary", "direction": "higher", "guardrail": true}]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /**
     * Bursts of fresh units, each converting at its variant's rate, until the canary is promoted or
     * rolled back; the statuses of every request.
     */
    private List<Integer> driveUntilFinal(String canary, Map<String, Double> conversion) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!List.of("promoted", "rolled_back").contains(canaryStatus(canary))) {
            assertThat(System.nanoTime()).as("canary still progressing after 60 s").isLessThan(deadline);
            List<String> feedback = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> call : burst("unit-")) {
                HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
                statuses.add(response.statusCode());
                String variant = response.headers().firstValue("X-Variant").orElseThrow();
                double converted = random.nextDouble() < conversion.get(variant) ? 1.0 : 0.0;
                feedback.add("{\"request_id\":\"" + response.headers().firstValue("X-Request-Id").orElseThrow()
                        + "\",\"metric\":\"converted\",\"value\":" + converted + "}");
            }
            HttpResponse<String> posted = api.post("/v1/feedback", "[" + String.join(",", feedback) + "]");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        }
        return statuses;
    }

    /** 50 concurrent requests, each from a fresh unit. */
    private List<CompletableFuture<HttpResponse<String>>> burst(String unitPrefix) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(infer(unitPrefix + random.nextLong()));
        }
        return calls;
    }

    /** The evidence of the canary's single decision of that action, from {@code experiment_decisions}. */
    private JsonNode decisionEvidence(String canary, String action) throws Exception {
        String where = database + ".experiment_decisions WHERE experiment = '" + canary + "' AND action = '" + action + "'";
        assertThat(clickHouse.awaitCount(where, n -> n > 0, Duration.ofSeconds(10))).isEqualTo(1);
        List<JsonNode> rows = clickHouse.rows("SELECT evidence FROM " + where);
        return new ObjectMapper().readTree(rows.get(0).path("evidence").asText());
    }

    private String canaryStatus(String canary) throws Exception {
        return api.json(admin("GET", "/admin/experiments/" + canary, null)).at("/canary/status").asText();
    }

    private String variantOf(String unit) throws Exception {
        return infer(unit).get(30, TimeUnit.SECONDS).headers().firstValue("X-Variant").orElse("");
    }

    private CompletableFuture<HttpResponse<String>> infer(String unit) {
        return api.client().sendAsync(HttpRequest.newBuilder(api.uri(INFER)).header("X-Unit-Id", unit)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],"
                        + "\"data\":[120.5,400,2,75,12,0,14,0.3,1,0,200,1.1]}]}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path, String json) throws Exception {
        return api.admin(TOKEN, "e2e-test", method, path, json);
    }
}
