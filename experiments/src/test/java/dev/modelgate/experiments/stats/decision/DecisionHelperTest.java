package dev.modelgate.experiments.stats.decision;

import dev.modelgate.experiments.stats.Effect;
import dev.modelgate.experiments.stats.Interval;
import dev.modelgate.experiments.stats.sequential.SequentialResult;
import dev.modelgate.experiments.stats.srm.SrmResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionHelperTest {

    private static final SrmResult HEALTHY_SPLIT = new SrmResult(0.7, 0.40, true);
    private static final SrmResult BROKEN_SPLIT = new SrmResult(32.0, 1.5e-8, false);

    private final DecisionHelper helper = new DecisionHelper(0.05);

    @Test
    void significantGainWithHealthyGuardrailsShips() {
        Recommendation recommendation = helper.decide(List.of(
                        primary("conversion", Direction.HIGHER_IS_BETTER, up()),
                        guardrail("latency_ms", Direction.LOWER_IS_BETTER, flat())),
                HEALTHY_SPLIT, false);

        assertThat(recommendation.decision()).isEqualTo(Decision.SHIP);
        assertThat(recommendation.reasons()).singleElement().asString()
                .contains("conversion", "significantly better");
    }

    @Test
    void harmedGuardrailStopsEvenWhenThePrimaryMetricWins() {
        Recommendation recommendation = helper.decide(List.of(
                        primary("conversion", Direction.HIGHER_IS_BETTER, up()),
                        guardrail("latency_ms", Direction.LOWER_IS_BETTER, up())),
                HEALTHY_SPLIT, false);

        assertThat(recommendation.decision()).isEqualTo(Decision.STOP);
        assertThat(recommendation.reasons()).singleElement().asString()
                .contains("guardrail latency_ms significantly worse");
    }

    @Test
    void directionDecidesWhetherADropIsAGain() {
        Recommendation recommendation = helper.decide(
                List.of(primary("error_rate", Direction.LOWER_IS_BETTER, down())), HEALTHY_SPLIT, false);
        assertThat(recommendation.decision()).isEqualTo(Decision.SHIP);

        Recommendation harmed = helper.decide(
                List.of(primary("revenue", Direction.HIGHER_IS_BETTER, down())), HEALTHY_SPLIT, false);
        assertThat(harmed.decision()).isEqualTo(Decision.STOP);
    }

    @Test
    void sampleRatioMismatchOverridesEverything() {
        Recommendation recommendation = helper.decide(List.of(
                        primary("conversion", Direction.HIGHER_IS_BETTER, up()),
                        guardrail("latency_ms", Direction.LOWER_IS_BETTER, up())),
                BROKEN_SPLIT, true);

        assertThat(recommendation.decision()).isEqualTo(Decision.INCONCLUSIVE);
        assertThat(recommendation.reasons()).singleElement().asString().contains("sample ratio mismatch");
    }

    @Test
    void nothingSignificantKeepsRunningUntilThePlannedSampleThenIsInconclusive() {
        List<MetricEvidence> metrics = List.of(primary("conversion", Direction.HIGHER_IS_BETTER, flat()),
                guardrail("latency_ms", Direction.LOWER_IS_BETTER, down()));

        assertThat(helper.decide(metrics, HEALTHY_SPLIT, false).decision()).isEqualTo(Decision.KEEP_RUNNING);
        assertThat(helper.decide(metrics, HEALTHY_SPLIT, true).decision()).isEqualTo(Decision.INCONCLUSIVE);
    }

    @Test
    void guardrailsAloneCannotJustifyADecision() {
        assertThatThrownBy(() -> helper.decide(
                List.of(guardrail("latency_ms", Direction.LOWER_IS_BETTER, flat())), HEALTHY_SPLIT, false))
                .hasMessageContaining("at least one primary");
    }

    private static MetricEvidence primary(String name, Direction direction, SequentialResult result) {
        return new MetricEvidence(name, direction, false, result);
    }

    private static MetricEvidence guardrail(String name, Direction direction, SequentialResult result) {
        return new MetricEvidence(name, direction, true, result);
    }

    private static SequentialResult up() {
        return new SequentialResult(0.001, new Effect(0.02, new Interval(0.01, 0.03)), Optional.empty());
    }

    private static SequentialResult down() {
        return new SequentialResult(0.001, new Effect(-0.02, new Interval(-0.03, -0.01)), Optional.empty());
    }

    private static SequentialResult flat() {
        return new SequentialResult(0.6, new Effect(0.001, new Interval(-0.01, 0.012)), Optional.empty());
    }
}
