package dev.modelgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.experiments.canary.GuardrailWindow;
import dev.modelgate.experiments.canary.MetricWindow;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentMeta;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.HealthGates;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.decision.Direction;
import dev.modelgate.gateway.state.StoredExperiment;
import dev.modelgate.gateway.telemetry.FeedbackEncoder;
import dev.modelgate.gateway.telemetry.FeedbackEvent;
import dev.modelgate.gateway.telemetry.FeedbackTable;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The guardrail windows of a canary's current step, read from the real ClickHouse and checked against
 * sums worked out by hand from the rows logged below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryWindowsGuardrailTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    /** The current step began one second after T0. */
    private static final Instant STEP = T0.plusSeconds(1);
    private static final MetricSpec CONVERTED = new MetricSpec("converted", MetricSpec.Kind.BINARY, Direction.HIGHER_IS_BETTER,
            OptionalDouble.empty(), true, MetricSpec.Source.FEEDBACK);
    private static final MetricSpec REVENUE = new MetricSpec("revenue", MetricSpec.Kind.CONTINUOUS, Direction.HIGHER_IS_BETTER,
            OptionalDouble.empty(), false, MetricSpec.Source.FEEDBACK);
    private static final MetricSpec LATENCY = new MetricSpec("latency", MetricSpec.Kind.CONTINUOUS, Direction.LOWER_IS_BETTER,
            OptionalDouble.empty(), true, MetricSpec.Source.LATENCY_MS);

    private final ObjectMapper json = new ObjectMapper();
    private TestClickHouse clickHouse;

    @BeforeAll
    void logTheStep() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
        new ClickHouseSchema(List.of(FeedbackTable.DEFINITION)).apply(clickHouse.connection());
        StringBuilder rows = new StringBuilder();
        // u0 converted on the candidate in the previous step: not one of this step's units
        rows.append(prediction("r0", "u0", "v2", 500, 5));
        rows.append(prediction("r1", "u1", "v1", 1_000, 10));
        rows.append(prediction("r2", "u2", "v1", 2_000, 30));
        rows.append(prediction("r3", "u3", "v2", 1_500, 50));
        rows.append(prediction("r4", "u3", "v2", 2_500, 70));
        rows.append(prediction("r5", "u4", "v2", 3_000, 20));
        clickHouse.connection().insertJsonEachRow(clickHouse.predictions(), bytes(rows.toString()));
        feedback(event("r0", "converted", 1), event("r1", "converted", 1), event("r4", "converted", 1),
                event("r5", "converted", 0), event("r2", "revenue", 1_000));
    }

    @AfterAll
    void dropDatabase() throws Exception {
        clickHouse.close();
    }

    @Test
    void guardrailMetricsAreSummedOverTheStepsUnitsInSpecOrder() {
        List<GuardrailWindow> windows = new CanaryWindows(Optional.of(clickHouse.connection()), new LocalVariantStats())
                .guardrails(canary(CONVERTED, REVENUE, LATENCY));

        assertThat(windows).containsExactly(
                // v1: u1 converted, u2 did not; v2: u3 converted on its second request, u4 posted a 0
                new GuardrailWindow("converted", new MetricWindow(2, 1, 1), new MetricWindow(2, 1, 1)),
                // per-unit mean latency: v1 10 and 30; v2 (50+70)/2 = 60 and 20
                new GuardrailWindow("latency", new MetricWindow(2, 40, 10 * 10 + 30 * 30), new MetricWindow(2, 80, 60 * 60 + 20 * 20)));
    }

    @Test
    void nothingIsReadWhenClickHouseCannotAnswerOrIsNotConfigured() {
        try (ClickHouseConnection down = ClickHouseConnection.open(ClickHouseSettings.defaults().withUrl("http://127.0.0.1:1")
                .withOperationTimeout(Duration.ofSeconds(1)))) {
            assertThat(new CanaryWindows(Optional.of(down), new LocalVariantStats()).guardrails(canary(CONVERTED))).isEmpty();
        }
        assertThat(new CanaryWindows(Optional.empty(), new LocalVariantStats()).guardrails(canary(CONVERTED))).isEmpty();
    }

    private static StoredExperiment canary(MetricSpec... metrics) {
        CanarySpec spec = new CanarySpec(new ExperimentMeta("rollout", "m", "rollout", ExperimentStatus.RUNNING, "v1", List.of(metrics)),
                "v1", "v2", List.of(10.0, 50.0, 100.0), Duration.ofSeconds(1), 1, new HealthGates(1.0, 2.0));
        return StoredExperiment.created(spec, STEP, "test");
    }

    private String prediction(String requestId, String unit, String variant, long offsetMillis, double latency) {
        long t = T0.toEpochMilli() + offsetMillis;
        ObjectNode row = json.createObjectNode()
                .put("event_date", "2026-03-01").put("event_time", t / 1000).put("event_time_ms", t)
                .put("event_id", UUID.randomUUID().toString()).put("request_id", requestId).put("model", "m")
                .put("experiment", "rollout").put("assigned_variant", variant).put("served_variant", variant)
                .put("role", "primary").put("assignment_reason", "hash").put("unit_id", unit).put("status", 200)
                .put("latency_ms", latency).put("score", 0.5);
        return row + "\n";
    }

    private static FeedbackEvent event(String requestId, String metric, double value) {
        long t = T0.toEpochMilli() + 10_000;
        return new FeedbackEvent(UUID.randomUUID().toString(), requestId, metric, value, t, t, "test", "");
    }

    private void feedback(FeedbackEvent... events) throws Exception {
        FeedbackEncoder encoder = new FeedbackEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FeedbackEvent event : events) {
            encoder.encode(event, out);
        }
        clickHouse.connection().insert(clickHouse.settings().qualify(FeedbackTable.NAME), encoder.format(),
                new ByteArrayInputStream(out.toByteArray()));
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
