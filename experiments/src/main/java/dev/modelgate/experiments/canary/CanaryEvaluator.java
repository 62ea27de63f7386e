package dev.modelgate.experiments.canary;

import dev.modelgate.experiments.spec.CanarySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Decides the next move of a canary rollout from the current step's observations. Pure: the caller
 * (the gateway's canary controller) gathers the windows since {@code state.since()} and applies the
 * returned state.
 *
 * <p>Order of the rules: a rollout that is not PROGRESSING, or an experiment that is not RUNNING, holds.
 * Below the minimum duration or the minimum requests of either variant it holds, whatever the numbers
 * say: a decision needs data. Then a breached gate rolls back: the error-rate gate when the excess is
 * above the gate and significant, the latency gate when the p99 ratio is above it. An error-rate excess
 * above the gate that is not significant yet holds for more data rather than advancing. Otherwise the
 * candidate advances; healthy at the last step below 100 % it is promoted, since moving to 100 % leaves
 * no baseline traffic to compare against.
 */
public final class CanaryEvaluator {

    /** Rollback needs strong evidence: a false rollback costs a release, a late one a few minutes of 5 %. */
    public static final double DEFAULT_ALPHA = 0.01;

    private final double alpha;

    public CanaryEvaluator(double alpha) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        this.alpha = alpha;
    }

    public static CanaryEvaluator withDefaultAlpha() {
        return new CanaryEvaluator(DEFAULT_ALPHA);
    }

    /**
     * @throws IllegalArgumentException if a PROGRESSING state is not at a step below 100 % of this spec
     */
    public CanaryDecision decide(CanarySpec spec, CanaryState state, Instant now, VariantWindow baseline, VariantWindow candidate) {
        Duration inStep = Duration.between(state.since(), now);
        CanaryEvidence evidence = new CanaryEvidence(baseline, candidate, inStep.isNegative() ? Duration.ZERO : inStep,
                spec.minStepDuration(), spec.minRequestsPerStep(),
                ErrorRateCheck.of(baseline, candidate, spec.gates().maxErrorRateIncrease(), alpha),
                LatencyCheck.of(baseline, candidate, spec.gates().maxP99LatencyRatio()));
        if (state.status() != CanaryStatus.PROGRESSING) {
            return hold(state, evidence, "canary is " + state.status() + ", nothing to decide");
        }
        if (!spec.meta().isRunning()) {
            return hold(state, evidence, "experiment is " + spec.status() + ", nothing to decide");
        }
        if (state.stepIndex() >= spec.finalStepIndex()) {
            throw new IllegalArgumentException("a PROGRESSING canary must be at a step below the final one, got step "
                    + state.stepIndex() + " of " + spec.steps());
        }
        String at = "at " + percent(state.weightPercent());
        if (!evidence.enoughTime()) {
            return hold(state, evidence, format("%s for %ds of the required %ds", at,
                    evidence.timeInStep().toSeconds(), spec.minStepDuration().toSeconds()));
        }
        if (!evidence.enoughRequests()) {
            return hold(state, evidence, format("%s too little traffic: baseline %d and candidate %d requests, %d required from each",
                    at, baseline.requests(), candidate.requests(), spec.minRequestsPerStep()));
        }
        ErrorRateCheck errors = evidence.errorRate();
        if (errors.breached()) {
            return new CanaryDecision(CanaryAction.ROLLBACK, state.rollback(now), format(
                    "%s candidate error rate %.3f%% exceeds baseline %.3f%% by %.3f points (gate %s), one-sided z-test p = %.3g < alpha %s; rolling back",
                    at, errors.candidateErrorPercent(), errors.baselineErrorPercent(), errors.increasePoints(),
                    number(errors.maxIncreasePoints()), errors.pValue(), number(alpha)), evidence);
        }
        LatencyCheck latency = evidence.latency();
        if (latency.breached()) {
            return new CanaryDecision(CanaryAction.ROLLBACK, state.rollback(now), format(
                    "%s candidate p99 %.1f ms is %.2fx baseline p99 %.1f ms (gate %sx); rolling back",
                    at, latency.candidateP99Ms(), latency.ratio(), latency.baselineP99Ms(), number(latency.maxRatio())), evidence);
        }
        if (errors.exceedsGate()) {
            return hold(state, evidence, format(
                    "%s candidate error rate exceeds baseline by %.3f points (gate %s) but not significantly yet (p = %.3g, alpha %s)",
                    at, errors.increasePoints(), number(errors.maxIncreasePoints()), errors.pValue(), number(alpha)));
        }
        String health = format("%s healthy after %ds with %d/%d requests: error rate %+.3f points (gate %s), p99 ratio %.2f (gate %s)",
                at, evidence.timeInStep().toSeconds(), baseline.requests(), candidate.requests(), errors.increasePoints(),
                number(errors.maxIncreasePoints()), latency.ratio(), number(latency.maxRatio()));
        int nextStep = state.stepIndex() + 1;
        if (nextStep == spec.finalStepIndex()) {
            return new CanaryDecision(CanaryAction.PROMOTE, state.promote(now), health + "; promoting to 100%", evidence);
        }
        double nextWeight = spec.steps().get(nextStep);
        return new CanaryDecision(CanaryAction.ADVANCE, state.advance(nextStep, nextWeight, now),
                health + "; advancing to " + percent(nextWeight), evidence);
    }

    private static CanaryDecision hold(CanaryState state, CanaryEvidence evidence, String reason) {
        return new CanaryDecision(CanaryAction.HOLD, state, reason + "; holding", evidence);
    }

    private static String percent(double value) {
        return number(value) + "%";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static String format(String template, Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
