package dev.modelgate.gateway.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.ExperimentMeta;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.spec.Variant;
import dev.modelgate.experiments.stats.decision.Direction;
import dev.modelgate.gateway.state.StoredExperiment;
import dev.modelgate.gateway.telemetry.FeedbackEncoder;
import dev.modelgate.gateway.telemetry.FeedbackEvent;
import dev.modelgate.gateway.telemetry.FeedbackTable;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The unit-level SQL on the real ClickHouse: who counts as exposed, on which variant, and what each
 * unit's metric values are, checked against totals worked out by hand from the rows logged below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnitAggregationTest {

    private static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    private static final List<MetricSpec> METRICS = List.of(
            MetricSpec.conversion("converted"),
            new MetricSpec("revenue", MetricSpec.Kind.CONTINUOUS, Direction.HIGHER_IS_BETTER, OptionalDouble.empty(), false,
                    MetricSpec.Source.FEEDBACK),
            new MetricSpec("latency", MetricSpec.Kind.CONTINUOUS, Direction.LOWER_IS_BETTER, OptionalDouble.empty(), true,
                    MetricSpec.Source.LATENCY_MS),
            new MetricSpec("score", MetricSpec.Kind.CONTINUOUS, Direction.HIGHER_IS_BETTER, OptionalDouble.empty(), false,
                    MetricSpec.Source.SCORE));

    private final ObjectMapper json = new ObjectMapper();
    private final StringBuilder predictions = new StringBuilder();
    private TestClickHouse clickHouse;

    @BeforeAll
    void logTrafficAndFeedback() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
        new ClickHouseSchema(List.of(FeedbackTable.DEFINITION)).apply(clickHouse.connection());
        // u1 is seen twice, first on control, later (after a weight change) on treatment: it counts once, on control
        predict("r1", "exp", "u1", "control", "primary", "hash", 1_000, 10, 0.2);
        predict("r2", "exp", "u1", "treatment", "primary", "hash", 2_000, 20, 0.4);
        predict("r3", "exp", "u2", "treatment", "primary", "hash", 1_500, 30, 0.5);
        // u4's assigned treatment failed and control served it: intention to treat keeps it on treatment
        predict("r5", "exp", "u4", "treatment", "primary", "fallback", 1_600, 50, 0.9);
        predict("r9", "exp", "u7", "control", "primary", "hash", 3_000, 40, 0.6);
        // not part of the randomised split, or not this experiment: all left out
        predict("r4", "exp", "u3", "control", "primary", "forced", 1_700, 99, 0.0);
        predict("r6", "exp", "u5", "control", "shadow", "hash", 1_700, 99, 0.0);
        predict("r7", "other", "u6", "control", "primary", "hash", 1_700, 99, 0.0);
        predict("r8", "exp", "", "control", "primary", "random", 1_700, 99, 0.0);
        clickHouse.connection().insertJsonEachRow(clickHouse.predictions(), bytes(predictions.toString()));

        feedback(
                event("r2", "converted", 1.0), event("r1", "revenue", 2.5), event("r2", "revenue", 5.0),
                event("r3", "converted", 0.0),
                event("r5", "converted", 1.0), event("r5", "converted", 1.0),
                event("r4", "converted", 1.0), event("r8", "revenue", 100.0), event("unknown", "converted", 1.0));
    }

    @AfterAll
    void dropDatabase() throws Exception {
        clickHouse.close();
    }

    @Test
    void unitsCountOnceOnTheirFirstAssignedVariantWithTheirFeedbackJoined() throws Exception {
        List<VariantTotals> totals = aggregation().read(scope(0));

        assertThat(totals).extracting(VariantTotals::variant).containsExactly("control", "treatment", "idle");
        VariantTotals control = totals.get(0);
        // control: u1 (r1, r2) and u7 (r9)
        assertThat(control.units()).isEqualTo(2);
        assertThat(control.firstExposureMillis()).isEqualTo(T0 + 1_000);
        assertThat(control.metrics().subList(0, 3)).containsExactly(
                new VariantTotals.MetricTotals(1, 1),               // u1 converted through r2; u7 did not
                new VariantTotals.MetricTotals(7.5, 56.25),         // u1: 2.5 + 5.0 summed over its requests; u7: 0
                new VariantTotals.MetricTotals(15 + 40, 15 * 15 + 40 * 40));  // mean latency per unit: (10+20)/2 and 40
        // mean score per unit: (0.2+0.4)/2 and 0.6
        assertThat(control.metrics().get(3).sum()).isCloseTo(0.3 + 0.6, within(1e-12));
        assertThat(control.metrics().get(3).sumOfSquares()).isCloseTo(0.3 * 0.3 + 0.6 * 0.6, within(1e-12));
        VariantTotals treatment = totals.get(1);
        // treatment: u2 (r3, feedback 0 is not a conversion) and u4 (r5, posted twice: still one conversion)
        assertThat(treatment.units()).isEqualTo(2);
        assertThat(treatment.metrics().get(0)).isEqualTo(new VariantTotals.MetricTotals(1, 1));
        assertThat(treatment.metrics().get(1)).isEqualTo(new VariantTotals.MetricTotals(0, 0));
        assertThat(treatment.metrics().get(2)).isEqualTo(new VariantTotals.MetricTotals(30 + 50, 30 * 30 + 50 * 50));
        assertThat(totals.get(2).units()).as("a variant without traffic").isZero();
    }

    @Test
    void unitsFirstSeenBeforeTheWindowAreLeftOutEntirely() throws Exception {
        List<VariantTotals> totals = aggregation().read(scope(T0 + 1_550));

        // u1 (first seen at +1000) and u2 (+1500) are out, even though u1 came back later
        assertThat(totals.get(0).units()).isEqualTo(1);
        assertThat(totals.get(0).metrics().get(2).sum()).isEqualTo(40.0);
        assertThat(totals.get(1).units()).isEqualTo(1);
        assertThat(totals.get(1).metrics().get(0).sum()).isEqualTo(1.0);
    }

    @Test
    void anExperimentWithoutMetricsStillCountsItsUnits() throws Exception {
        AbSpec spec = new AbSpec(new ExperimentMeta("exp", "m", "exp", ExperimentStatus.RUNNING, "control"),
                List.of(new Variant("control", 50), new Variant("treatment", 50)), List.of(), 0);
        List<VariantTotals> totals = aggregation().read(AnalysisScope.of(StoredExperiment.created(spec, Instant.now(), "t")).orElseThrow());

        assertThat(totals).extracting(VariantTotals::units).containsExactly(2L, 2L);
        assertThat(totals.get(0).metrics()).isEmpty();
    }

    private UnitAggregation aggregation() {
        return new UnitAggregation(clickHouse.connection());
    }

    private static AnalysisScope scope(long sinceMillis) {
        AbSpec spec = new AbSpec(new ExperimentMeta("exp", "m", "exp", ExperimentStatus.RUNNING, "control", METRICS),
                List.of(new Variant("control", 50), new Variant("treatment", 50), new Variant("idle", 0)), List.of(), 0);
        AnalysisScope all = AnalysisScope.of(StoredExperiment.created(spec, Instant.now(), "t")).orElseThrow();
        return new AnalysisScope(all.spec(), all.control(), all.variants(), all.weights(), sinceMillis);
    }

    private void predict(String requestId, String experiment, String unit, String assigned, String role, String reason,
                         long offsetMillis, double latency, double score) {
        long t = T0 + offsetMillis;
        ObjectNode row = json.createObjectNode()
                .put("event_date", "2026-03-01").put("event_time", t / 1000).put("event_time_ms", t)
                .put("event_id", UUID.randomUUID().toString()).put("request_id", requestId).put("model", "m")
                .put("experiment", experiment).put("assigned_variant", assigned).put("served_variant", assigned)
                .put("role", role).put("assignment_reason", reason).put("unit_id", unit).put("status", 200)
                .put("latency_ms", latency).put("score", score);
        predictions.append(row).append('\n');
    }

    private static FeedbackEvent event(String requestId, String metric, double value) {
        return new FeedbackEvent(UUID.randomUUID().toString(), requestId, metric, value, T0 + 10_000, T0 + 10_000, "test", "");
    }

    /** Through the gateway's own encoder, so the table definition and the encoder are exercised too. */
    private void feedback(FeedbackEvent... events) throws Exception {
        FeedbackEncoder encoder = new FeedbackEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FeedbackEvent event : events) {
            encoder.encode(event, out);
        }
        clickHouse.connection().insert(clickHouse.settings().qualify(FeedbackTable.NAME), encoder.format(),
                new ByteArrayInputStream(out.toByteArray()));
        assertThat(clickHouse.connection().count(clickHouse.settings().qualify(FeedbackTable.NAME), encoder.landedPredicate(events[0])))
                .as("the landed predicate finds exactly the row").isEqualTo(1);
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
