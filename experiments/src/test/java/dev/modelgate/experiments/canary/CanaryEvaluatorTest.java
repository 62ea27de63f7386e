package dev.modelgate.experiments.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentMeta;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.HealthGates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * Error-rate reference values: the pooled two-proportion z statistic squared is Pearson's chi-square of
 * the 2x2 table without continuity correction, so SciPy's chi2_contingency gives z and the one-sided p
 * independently of our formula:
 * <pre>
 * from scipy.stats import chi2_contingency
 * import math
 * for (nb, eb, nc, ec) in [(10000, 100, 2000, 80), (500, 5, 500, 12), (1000, 10, 1000, 30)]:
 *     chi2, p2, dof, _ = chi2_contingency([[eb, nb-eb], [ec, nc-ec]], correction=False)
 *     print(nb, eb, nc, ec, 'z =', math.sqrt(chi2), 'one-sided p =', p2/2)
 * </pre>
 * printed (SciPy 1.17):
 * <pre>
 * 10000 100 2000 80 z = 10.075854437197567 one-sided p = 3.53220386001252e-24
 * 500 5 500 12 z = 1.7123668844838058 one-sided p = 0.043414538906318675
 * 1000 10 1000 30 z = 3.1943828249996997 one-sided p = 0.000700650790480107
 * </pre>
 */
class CanaryEvaluatorTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration MIN_STEP = Duration.ofMinutes(10);
    private static final CanarySpec SPEC = new CanarySpec(ExperimentMeta.running("rollout", "fraud", "v1"), "v1", "v2",
            List.of(5.0, 25.0, 50.0, 100.0), MIN_STEP, 500, new HealthGates(1.0, 1.5));
    private static final VariantWindow HEALTHY_BASELINE = new VariantWindow(10_000, 100, 200);
    private static final VariantWindow HEALTHY_CANDIDATE = new VariantWindow(1_000, 11, 210);

    private final CanaryEvaluator evaluator = CanaryEvaluator.withDefaultAlpha();

    @Test
    void failingCandidateIsRolledBackWithTheEvidence() {
        CanaryDecision decision = decideAfter(MIN_STEP.plusMinutes(5), new VariantWindow(10_000, 100, 200), new VariantWindow(2_000, 80, 205));

        assertThat(decision.action()).isEqualTo(CanaryAction.ROLLBACK);
        assertThat(decision.next().status()).isEqualTo(CanaryStatus.ROLLED_BACK);
        assertThat(decision.next().weightPercent()).isZero();
        ErrorRateCheck errors = decision.evidence().errorRate();
        assertThat(errors.baselineErrorPercent()).isCloseTo(1.0, within(1e-12));
        assertThat(errors.candidateErrorPercent()).isCloseTo(4.0, within(1e-12));
        assertThat(errors.increasePoints()).isCloseTo(3.0, within(1e-12));
        assertThat(errors.maxIncreasePoints()).isEqualTo(1.0);
        assertThat(errors.zScore()).isCloseTo(10.075854437197567, within(1e-9));
        assertThat(errors.pValue()).isCloseTo(3.53220386001252e-24, Percentage.withPercentage(1e-4));
        assertThat(errors.alpha()).isEqualTo(0.01);
        assertThat(decision.reason()).contains("4.000%", "1.000%", "3.000 points", "gate 1", "p = 3.53e-24", "rolling back");
    }

    @Test
    void healthyCandidateAdvancesThroughEveryStepThenIsPromoted() {
        CanaryState state = CanaryState.start(SPEC, T0);
        List<CanaryAction> actions = new ArrayList<>();
        List<Double> weights = new ArrayList<>(List.of(state.weightPercent()));
        while (state.status() == CanaryStatus.PROGRESSING) {
            CanaryDecision decision = evaluator.decide(SPEC, state, state.since().plus(MIN_STEP), HEALTHY_BASELINE, HEALTHY_CANDIDATE, List.of());
            actions.add(decision.action());
            state = decision.next();
            weights.add(state.weightPercent());
        }

        assertThat(actions).containsExactly(CanaryAction.ADVANCE, CanaryAction.ADVANCE, CanaryAction.PROMOTE);
        assertThat(weights).containsExactly(5.0, 25.0, 50.0, 100.0);
        assertThat(state.status()).isEqualTo(CanaryStatus.PROMOTED);
        assertThat(state.since()).isEqualTo(T0.plus(MIN_STEP.multipliedBy(3)));
    }

    @Test
    void advanceReportsTheHealthyNumbers() {
        CanaryDecision decision = decideAfter(MIN_STEP, HEALTHY_BASELINE, HEALTHY_CANDIDATE);

        assertThat(decision.action()).isEqualTo(CanaryAction.ADVANCE);
        assertThat(decision.next()).isEqualTo(new CanaryState(1, 25.0, T0.plus(MIN_STEP), CanaryStatus.PROGRESSING));
        assertThat(decision.evidence().latency().ratio()).isCloseTo(1.05, within(1e-12));
        assertThat(decision.reason()).contains("at 5%", "+0.100 points", "p99 ratio 1.05", "advancing to 25%");
    }

    @Test
    void tooLittleTrafficHoldsHoweverBadTheNumbersLook() {
        CanaryDecision decision = decideAfter(MIN_STEP.multipliedBy(3), HEALTHY_BASELINE, new VariantWindow(499, 250, 5_000));

        assertThat(decision.action()).isEqualTo(CanaryAction.HOLD);
        assertThat(decision.next()).isEqualTo(CanaryState.start(SPEC, T0));
        assertThat(decision.reason()).contains("too little traffic", "candidate 499", "500 required");
    }

    @Test
    void tooLittleTimeAtTheStepHoldsHoweverBadTheNumbersLook() {
        CanaryDecision decision = decideAfter(MIN_STEP.minusSeconds(1), HEALTHY_BASELINE, new VariantWindow(5_000, 2_500, 5_000));

        assertThat(decision.action()).isEqualTo(CanaryAction.HOLD);
        assertThat(decision.reason()).contains("599s of the required 600s");
    }

    @Test
    void noisyExcessAtSmallSamplesHoldsInsteadOfRollingBack() {
        CanaryDecision decision = decideAfter(MIN_STEP, new VariantWindow(500, 5, 200), new VariantWindow(500, 12, 200));

        ErrorRateCheck errors = decision.evidence().errorRate();
        assertThat(errors.increasePoints()).isCloseTo(1.4, within(1e-12));
        assertThat(errors.exceedsGate()).isTrue();
        assertThat(errors.zScore()).isCloseTo(1.7123668844838058, within(1e-9));
        assertThat(errors.pValue()).isCloseTo(0.043414538906318675, within(1e-12));
        assertThat(decision.action()).isEqualTo(CanaryAction.HOLD);
        assertThat(decision.reason()).contains("not significantly yet");
    }

    @Test
    void theSameExcessWithMoreEvidenceRollsBack() {
        CanaryDecision decision = decideAfter(MIN_STEP, new VariantWindow(1_000, 10, 200), new VariantWindow(1_000, 30, 200));

        assertThat(decision.evidence().errorRate().zScore()).isCloseTo(3.1943828249996997, within(1e-9));
        assertThat(decision.evidence().errorRate().pValue()).isCloseTo(0.000700650790480107, offset(1e-12));
        assertThat(decision.action()).isEqualTo(CanaryAction.ROLLBACK);
    }

    @Test
    void significantExcessWithinTheGateDoesNotStopTheRollout() {
        CanaryDecision decision = decideAfter(MIN_STEP, new VariantWindow(100_000, 1_000, 200), new VariantWindow(100_000, 1_500, 200));

        assertThat(decision.evidence().errorRate().pValue()).isLessThan(1e-6);
        assertThat(decision.action()).isEqualTo(CanaryAction.ADVANCE);
    }

    @Test
    void slowCandidateIsRolledBackOnTheLatencyGate() {
        CanaryDecision decision = decideAfter(MIN_STEP, HEALTHY_BASELINE, new VariantWindow(1_000, 10, 400));

        assertThat(decision.action()).isEqualTo(CanaryAction.ROLLBACK);
        assertThat(decision.evidence().latency().ratio()).isEqualTo(2.0);
        assertThat(decision.reason()).contains("p99 400.0 ms is 2.00x baseline p99 200.0 ms (gate 1.5x)");
    }

    @Test
    void pausedRolloutsAndPausedExperimentsHold() {
        CanaryState paused = CanaryState.start(SPEC, T0).pause(T0);
        CanaryDecision byOperator = evaluator.decide(SPEC, paused, T0.plus(MIN_STEP), HEALTHY_BASELINE, new VariantWindow(1_000, 500, 200), List.of());
        CanaryDecision byStatus = evaluator.decide(SPEC.withStatus(ExperimentStatus.PAUSED), CanaryState.start(SPEC, T0),
                T0.plus(MIN_STEP), HEALTHY_BASELINE, new VariantWindow(1_000, 500, 200), List.of());

        assertThat(byOperator.action()).isEqualTo(CanaryAction.HOLD);
        assertThat(byOperator.next()).isEqualTo(paused);
        assertThat(byStatus.action()).isEqualTo(CanaryAction.HOLD);
        assertThat(byStatus.reason()).contains("experiment is PAUSED");
    }

    @Test
    void aStateThatDoesNotFitTheSpecIsRejected() {
        CanaryState atFinalStep = new CanaryState(3, 100, T0, CanaryStatus.PROGRESSING);

        assertThatThrownBy(() -> evaluator.decide(SPEC, atFinalStep, T0.plus(MIN_STEP), HEALTHY_BASELINE, HEALTHY_CANDIDATE, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step 3");
    }

    private CanaryDecision decideAfter(Duration elapsed, VariantWindow baseline, VariantWindow candidate) {
        return evaluator.decide(SPEC, CanaryState.start(SPEC, T0), T0.plus(elapsed), baseline, candidate, List.of());
    }
}
