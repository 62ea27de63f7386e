package dev.modelgate.experiments.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentMeta;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.HealthGates;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.Interval;
import dev.modelgate.experiments.stats.decision.Direction;
import dev.modelgate.experiments.stats.sequential.SequentialResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The guardrail-metric gate of the canary evaluator.
 *
 * <p>Reference values come from the normal-mixture likelihood ratio integrated numerically with SciPy
 * and its {@code 1/alpha} crossing found by root-finding, independently of the closed forms in
 * {@code AsymptoticConfidenceSequence}:
 * <pre>
 * import math
 * from scipy import integrate, optimize, stats
 * def mixture_lr(d, v, tau2):   # d = observed difference minus hypothesised one, v = variance of the estimator
 *     f = lambda t: math.exp(stats.norm.logpdf(d, t, math.sqrt(v)) - stats.norm.logpdf(d, 0, math.sqrt(v)) + stats.norm.logpdf(t, 0, math.sqrt(tau2)))
 *     return integrate.quad(f, -20 * math.sqrt(tau2), 20 * math.sqrt(tau2), points=[0.0, d], limit=500, epsabs=0, epsrel=1e-12)[0]
 * def reference(theta, v, n, alpha, nstar=5000):
 *     rho2 = (-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / nstar
 *     tau2 = v * n * rho2
 *     p = min(1.0, 1 / mixture_lr(theta, v, tau2))
 *     half = optimize.brentq(lambda h: mixture_lr(h, v, tau2) - 1 / alpha, 0, 10 * math.sqrt(v), xtol=1e-14)
 *     return theta, theta - half, theta + half, p
 * def prop(nb, xb, nc, xc, alpha):
 *     pb, pc = xb / nb, xc / nc
 *     return reference(pc - pb, pb * (1 - pb) / nb + pc * (1 - pc) / nc, nb + nc, alpha)
 * def mean(nb, sb, qb, nc, sc, qc, alpha):
 *     mb, mc = sb / nb, sc / nc
 *     vb, vc = (qb - sb * mb) / (nb - 1), (qc - sc * mc) / (nc - 1)
 *     return reference(mc - mb, vb / nb + vc / nc, nb + nc, alpha)
 * print('converted 80/400 vs 20/400, alpha 0.01:', *prop(400, 80, 400, 20, 0.01))
 * print('converted 80/400 vs 55/400, alpha 0.01:', *prop(400, 80, 400, 55, 0.01))
 * print('latency_ms, alpha 0.01:', *mean(500, 50_000, 5_199_600, 500, 53_150, 6_098_945, 0.01))
 * print('latency_ms, alpha 0.005:', *mean(500, 50_000, 5_199_600, 500, 53_150, 6_098_945, 0.005))
 * </pre>
 * printed (SciPy 1.17; estimate, lower, upper, p):
 * <pre>
 * converted 80/400 vs 20/400, alpha 0.01: -0.15000000000000002 -0.2405723102536128 -0.05942768974638725 1.3143016276868069e-06
 * converted 80/400 vs 55/400, alpha 0.01: -0.0625 -0.1674474956754715 0.042447495675471514 0.2736602329387703
 * latency_ms, alpha 0.01: 6.299999999999997 0.0721889279336958 12.5278110720663 0.008857482197634442
 * latency_ms, alpha 0.005: 6.299999999999997 -0.23648149870820134 12.836481498708196 0.007625311166706354
 * </pre>
 */
class CanaryGuardrailTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration MIN_STEP = Duration.ofMinutes(10);
    private static final VariantWindow HEALTHY_BASELINE = new VariantWindow(2_000, 20, 200);
    private static final VariantWindow HEALTHY_CANDIDATE = new VariantWindow(2_000, 21, 205);
    private static final MetricSpec CONVERTED = new MetricSpec("converted", MetricSpec.Kind.BINARY, Direction.HIGHER_IS_BETTER,
            OptionalDouble.empty(), true, MetricSpec.Source.FEEDBACK);
    private static final MetricSpec LATENCY = new MetricSpec("latency", MetricSpec.Kind.CONTINUOUS, Direction.LOWER_IS_BETTER,
            OptionalDouble.empty(), true, MetricSpec.Source.LATENCY_MS);
    /** A primary metric: never a reason to roll back a canary, however bad. */
    private static final MetricSpec REVENUE = new MetricSpec("revenue", MetricSpec.Kind.CONTINUOUS, Direction.HIGHER_IS_BETTER,
            OptionalDouble.empty(), false, MetricSpec.Source.FEEDBACK);

    private final CanaryEvaluator evaluator = CanaryEvaluator.withDefaultAlpha();

    @Test
    void candidateThatConvertsWorseIsRolledBackThoughItsErrorsAndLatencyAreHealthy() {
        CanaryDecision decision = decide(spec(CONVERTED), conversions(400, 80, 400, 20));

        assertThat(decision.action()).isEqualTo(CanaryAction.ROLLBACK);
        assertThat(decision.next().status()).isEqualTo(CanaryStatus.ROLLED_BACK);
        assertThat(decision.evidence().errorRate().breached()).isFalse();
        assertThat(decision.evidence().latency().breached()).isFalse();
        GuardrailCheck check = decision.evidence().guardrails().get(0);
        assertThat(check.verdict()).isEqualTo(GuardrailVerdict.HARMFUL);
        assertThat(check.alpha()).isEqualTo(0.01);
        assertMatches(check.result().orElseThrow(), -0.15000000000000002, -0.2405723102536128, -0.05942768974638725, 1.3143016276868069e-06);
        assertThat(decision.reason()).contains("guardrail converted is significantly worse", "higher is better",
                "per-unit mean 0.05000 over 400 units vs baseline 0.2000 over 400 units", "difference -0.1500",
                "99% confidence sequence [-0.2406, -0.05943]", "p = 1.31e-06 < alpha 0.01", "rolling back");
    }

    @Test
    void aWorseButNotSignificantEstimateDoesNotHoldTheRollout() {
        CanaryDecision decision = decide(spec(CONVERTED), conversions(400, 80, 400, 55));

        GuardrailCheck check = decision.evidence().guardrails().get(0);
        assertMatches(check.result().orElseThrow(), -0.0625, -0.1674474956754715, 0.042447495675471514, 0.2736602329387703);
        assertThat(check.verdict()).isEqualTo(GuardrailVerdict.NO_HARM_DETECTED);
        assertThat(decision.action()).isEqualTo(CanaryAction.ADVANCE);
        assertThat(decision.reason()).contains("guardrails: converted no harm detected (difference -0.06250, p = 0.274)");
    }

    @Test
    void aSignificantImprovementIsNotHarm() {
        CanaryDecision decision = decide(spec(CONVERTED), conversions(400, 20, 400, 80));

        GuardrailCheck check = decision.evidence().guardrails().get(0);
        assertThat(check.result().orElseThrow().pValue()).isCloseTo(1.3143016276868069e-06, within(1e-15));
        assertThat(check.verdict()).isEqualTo(GuardrailVerdict.NO_HARM_DETECTED);
        assertThat(decision.action()).isEqualTo(CanaryAction.ADVANCE);
    }

    @Test
    void lowerIsBetterMetricsRollBackWhenTheCandidateIsHigher() {
        CanaryDecision decision = decide(spec(LATENCY), List.of(latency()));

        assertThat(decision.action()).isEqualTo(CanaryAction.ROLLBACK);
        GuardrailCheck check = decision.evidence().guardrails().get(0);
        assertMatches(check.result().orElseThrow(), 6.299999999999997, 0.0721889279336958, 12.5278110720663, 0.008857482197634442);
        assertThat(decision.reason()).contains("guardrail latency is significantly worse on the candidate (lower is better)");
    }

    @Test
    void guardrailsShareAlphaSoTheSameEvidenceNoLongerSufficesWithTwo() {
        CanaryDecision decision = decide(spec(CONVERTED, LATENCY), List.of(latency(), conversions(400, 80, 400, 80).get(0)));

        GuardrailCheck check = decision.evidence().guardrails().get(1);
        assertThat(check.metric()).isEqualTo(LATENCY);
        assertThat(check.alpha()).isEqualTo(0.005);
        assertMatches(check.result().orElseThrow(), 6.299999999999997, -0.23648149870820134, 12.836481498708196, 0.007625311166706354);
        assertThat(check.verdict()).isEqualTo(GuardrailVerdict.NO_HARM_DETECTED);
        assertThat(decision.action()).isEqualTo(CanaryAction.ADVANCE);
    }

    @Test
    void primaryMetricsAreNotGuardrails() {
        CanaryDecision decision = decide(spec(REVENUE, CONVERTED), conversions(400, 80, 400, 80));

        assertThat(decision.evidence().guardrails()).extracting(GuardrailCheck::metric).containsExactly(CONVERTED);
        assertThat(decision.action()).isEqualTo(CanaryAction.ADVANCE);
        assertThatThrownBy(() -> decide(spec(REVENUE, CONVERTED), List.of(
                new GuardrailWindow("revenue", new MetricWindow(400, 10, 20), new MetricWindow(400, 1, 2)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'revenue', which is not a guardrail");
    }

    @Test
    void aGuardrailThatCannotBeReadHoldsTheRollout() {
        CanaryDecision decision = decide(spec(CONVERTED), List.of());

        assertThat(decision.evidence().guardrails().get(0).verdict()).isEqualTo(GuardrailVerdict.UNAVAILABLE);
        assertThat(decision.action()).isEqualTo(CanaryAction.HOLD);
        assertThat(decision.reason()).contains("guardrail metrics [converted] could not be read", "holding");
    }

    @Test
    void tooFewUnitsToTestIsNoEvidenceOfHarm() {
        CanaryDecision noUnits = decide(spec(CONVERTED, LATENCY), List.of(
                new GuardrailWindow("converted", new MetricWindow(0, 0, 0), new MetricWindow(0, 0, 0)),
                new GuardrailWindow("latency", new MetricWindow(1, 100, 10_000), new MetricWindow(1, 900, 810_000))));
        // two units, each arm constant: the plug-in variance is zero, so no test is defined
        CanaryDecision constant = decide(spec(CONVERTED), conversions(1, 1, 1, 0));

        assertThat(noUnits.evidence().guardrails()).extracting(GuardrailCheck::verdict)
                .containsExactly(GuardrailVerdict.TOO_FEW_UNITS, GuardrailVerdict.TOO_FEW_UNITS);
        assertThat(noUnits.action()).isEqualTo(CanaryAction.ADVANCE);
        assertThat(noUnits.reason()).contains("guardrails: converted too few units to test, latency too few units to test");
        assertThat(constant.evidence().guardrails().get(0).verdict()).isEqualTo(GuardrailVerdict.TOO_FEW_UNITS);
        assertThat(constant.action()).isEqualTo(CanaryAction.ADVANCE);
    }

    @Test
    void harmStillWaitsForTheStepsMinimumTimeAndTraffic() {
        CanarySpec spec = spec(CONVERTED);
        CanaryState state = CanaryState.start(spec, T0);

        CanaryDecision early = evaluator.decide(spec, state, T0.plus(MIN_STEP).minusSeconds(1), HEALTHY_BASELINE, HEALTHY_CANDIDATE,
                conversions(400, 80, 400, 20));
        CanaryDecision paused = evaluator.decide(spec.withStatus(ExperimentStatus.PAUSED), state, T0.plus(MIN_STEP),
                HEALTHY_BASELINE, HEALTHY_CANDIDATE, conversions(400, 80, 400, 20));

        assertThat(early.action()).isEqualTo(CanaryAction.HOLD);
        assertThat(early.evidence().harmedGuardrail()).isPresent();
        assertThat(paused.action()).isEqualTo(CanaryAction.HOLD);
    }

    @Test
    void aBinaryWindowWithMoreConversionsThanUnitsIsRejected() {
        assertThatThrownBy(() -> decide(spec(CONVERTED), conversions(10, 11, 10, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("successes");
        assertThatThrownBy(() -> new MetricWindow(-1, 0, 0)).hasMessageContaining("units");
        assertThatThrownBy(() -> new MetricWindow(1, Double.NaN, 0)).hasMessageContaining("sum");
    }

    static CanarySpec spec(MetricSpec... metrics) {
        return new CanarySpec(new ExperimentMeta("rollout", "fraud", "rollout", ExperimentStatus.RUNNING, "v1", List.of(metrics)),
                "v1", "v2", List.of(5.0, 25.0, 50.0, 100.0), MIN_STEP, 500, new HealthGates(1.0, 1.5));
    }

    /** A binary guardrail "converted": per-unit values are 0/1, so the sum of squares is the sum. */
    static List<GuardrailWindow> conversions(long baselineUnits, long baselineConverted, long candidateUnits, long candidateConverted) {
        return List.of(new GuardrailWindow("converted", new MetricWindow(baselineUnits, baselineConverted, baselineConverted),
                new MetricWindow(candidateUnits, candidateConverted, candidateConverted)));
    }

    /** 500 units each: baseline mean 100 ms (variance 400), candidate mean 106.3 ms (variance 900). */
    private static GuardrailWindow latency() {
        return new GuardrailWindow("latency", new MetricWindow(500, 50_000, 5_199_600), new MetricWindow(500, 53_150, 6_098_945));
    }

    private CanaryDecision decide(CanarySpec spec, List<GuardrailWindow> guardrails) {
        return evaluator.decide(spec, CanaryState.start(spec, T0), T0.plus(MIN_STEP), HEALTHY_BASELINE, HEALTHY_CANDIDATE, guardrails);
    }

    private static void assertMatches(SequentialResult result, double estimate, double lower, double upper, double pValue) {
        assertThat(result.absolute().estimate()).isCloseTo(estimate, within(1e-12));
        Interval interval = result.absolute().interval();
        assertThat(interval.lower()).isCloseTo(lower, within(1e-10));
        assertThat(interval.upper()).isCloseTo(upper, within(1e-10));
        assertThat(result.pValue()).isCloseTo(pValue, within(1e-12 + 1e-9 * pValue));
    }
}
