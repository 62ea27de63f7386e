package dev.modelgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.experiments.canary.CanaryAction;
import dev.modelgate.experiments.canary.CanaryDecision;
import dev.modelgate.experiments.canary.CanaryEvaluator;
import dev.modelgate.experiments.canary.CanaryState;
import dev.modelgate.experiments.canary.GuardrailWindow;
import dev.modelgate.experiments.canary.MetricWindow;
import dev.modelgate.experiments.canary.VariantWindow;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentMeta;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.HealthGates;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.decision.Direction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The guardrail part of a decision's evidence, as it lands in {@code experiment_decisions.evidence}.
 * The numbers are those of {@code CanaryGuardrailTest} (experiments module), whose SciPy snippet printed
 * {@code -0.15 -0.2405723102536128 -0.05942768974638725 1.3143016276868069e-06} for 80/400 vs 20/400 at alpha 0.01.
 */
class CanaryEvidenceJsonTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final MetricSpec CONVERTED = new MetricSpec("converted", MetricSpec.Kind.BINARY, Direction.HIGHER_IS_BETTER,
            OptionalDouble.empty(), true, MetricSpec.Source.FEEDBACK);
    private static final MetricSpec LATENCY = new MetricSpec("latency", MetricSpec.Kind.CONTINUOUS, Direction.LOWER_IS_BETTER,
            OptionalDouble.empty(), true, MetricSpec.Source.LATENCY_MS);
    private static final CanarySpec SPEC = new CanarySpec(
            new ExperimentMeta("rollout", "m", "rollout", ExperimentStatus.RUNNING, "v1", List.of(CONVERTED, LATENCY)),
            "v1", "v2", List.of(50.0, 100.0), Duration.ofSeconds(1), 100, new HealthGates(1.0, 2.0));
    private static final VariantWindow HEALTHY = new VariantWindow(1_000, 0, 100);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aGuardrailRollbackNamesTheMetricWithItsEstimateIntervalAndPValue() {
        CanaryDecision decision = new CanaryEvaluator(0.02).decide(SPEC, CanaryState.start(SPEC, T0), T0.plusSeconds(5), HEALTHY, HEALTHY,
                List.of(new GuardrailWindow("converted", new MetricWindow(400, 80, 80), new MetricWindow(400, 20, 20))));

        JsonNode evidence = json.valueToTree(CanaryController.evidence(decision.evidence(), "clickhouse"));

        assertThat(decision.action()).isEqualTo(CanaryAction.ROLLBACK);
        JsonNode converted = evidence.at("/guardrails/0");
        assertThat(converted.path("metric").asText()).isEqualTo("converted");
        assertThat(converted.path("kind").asText()).isEqualTo("binary");
        assertThat(converted.path("direction").asText()).isEqualTo("higher_is_better");
        assertThat(converted.path("verdict").asText()).isEqualTo("harmful");
        // alpha 0.02 shared by two guardrails: each is tested at 0.01, the level of the SciPy reference
        assertThat(converted.path("alpha").asDouble()).isEqualTo(0.01);
        assertThat(converted.at("/baseline/units").asLong()).isEqualTo(400);
        assertThat(converted.at("/baseline/mean").asDouble()).isEqualTo(0.2);
        assertThat(converted.at("/candidate/mean").asDouble()).isEqualTo(0.05);
        assertThat(converted.path("estimate").asDouble()).isCloseTo(-0.15, within(1e-12));
        assertThat(converted.at("/confidence_sequence/0").asDouble()).isCloseTo(-0.2405723102536128, within(1e-10));
        assertThat(converted.at("/confidence_sequence/1").asDouble()).isCloseTo(-0.05942768974638725, within(1e-10));
        assertThat(converted.path("p_value").asDouble()).isCloseTo(1.3143016276868069e-06, within(1e-15));
        // the guardrail nobody could read is reported as such, without numbers
        JsonNode latency = evidence.at("/guardrails/1");
        assertThat(latency.path("metric").asText()).isEqualTo("latency");
        assertThat(latency.path("verdict").asText()).isEqualTo("unavailable");
        assertThat(latency.has("estimate")).isFalse();
        assertThat(evidence.at("/error_rate/p_value").asDouble()).isEqualTo(0.5);
    }
}
