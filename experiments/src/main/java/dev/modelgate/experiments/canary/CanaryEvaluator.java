package dev.modelgate.experiments.canary;

import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.Effect;
import dev.modelgate.experiments.stats.decision.Direction;
import dev.modelgate.experiments.stats.sequential.SequentialResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides the next move of a canary rollout from the current step's observations. Pure: the caller
 * (the gateway's canary controller) gathers the windows since {@code state.since()} and applies the
 * returned state.
 *
 * <p>Order of the rules: a rollout that is not PROGRESSING, or an experiment that is not RUNNING, holds.
 * Below the minimum duration or the minimum requests of either variant it holds, whatever the numbers
 * say: a decision needs data. Then a breached gate rolls back: the error-rate gate when the excess is
 * above the gate and significant, the latency gate when the p99 ratio is above it, the guardrail-metric
 * gate when the candidate is significantly worse than the baseline on a guardrail metric of the spec.
 * An error-rate excess above the gate that is not significant yet holds for more data rather than
 * advancing, and so does a guardrail that could not be read at all. Otherwise the candidate advances;
 * healthy at the last step below 100 % it is promoted, since moving to 100 % leaves no baseline traffic
 * to compare against.
 *
 * <p>Guardrail metrics (see {@link GuardrailGate}) are compared over the units first exposed in the step
 * with an always-valid confidence sequence, so reading them at every evaluation is safe. As is standard
 * for guardrails, advancing needs <em>no significant harm</em>, not proof that there is none (which
 * would be a non-inferiority test with a margin the spec does not have). A guardrail without enough units to test, or with a worse but not yet
 * significant estimate, does not hold the rollout; {@code min_requests_per_step} is what buys power.
 */
public final class CanaryEvaluator {

    /** Rollback needs strong evidence: a false rollback costs a release, a late one a few minutes of 5 %. */
    public static final double DEFAULT_ALPHA = 0.01;

    private final double alpha;
    private final GuardrailGate guardrailGate;

    /** @param alpha significance level of every rollback: the error-rate gate's, and the guardrails' together */
    public CanaryEvaluator(double alpha) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        this.alpha = alpha;
        this.guardrailGate = new GuardrailGate(alpha);
    }

    public static CanaryEvaluator withDefaultAlpha() {
        return new CanaryEvaluator(DEFAULT_ALPHA);
    }

    /**
     * @param guardrails the spec's guardrail metrics observed since the step began; a guardrail metric of the
     *                   spec without a window here could not be read, and holds the rollout
     * @throws IllegalArgumentException if a PROGRESSING state is not at a step below 100 % of this spec, or a
     *                                  window is not of a guardrail metric of the spec
     */
    public CanaryDecision decide(CanarySpec spec, CanaryState state, Instant now, VariantWindow baseline, VariantWindow candidate,
                                 List<GuardrailWindow> guardrails) {
        Duration inStep = Duration.between(state.since(), now);
        CanaryEvidence evidence = new CanaryEvidence(baseline, candidate, inStep.isNegative() ? Duration.ZERO : inStep,
                spec.minStepDuration(), spec.minRequestsPerStep(),
                ErrorRateCheck.of(baseline, candidate, spec.gates().maxErrorRateIncrease(), alpha),
                LatencyCheck.of(baseline, candidate, spec.gates().maxP99LatencyRatio()),
                guardrailGate.check(spec.metrics().stream().filter(MetricSpec::guardrail).toList(), guardrails));
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
        Optional<GuardrailCheck> harmed = evidence.harmedGuardrail();
        if (harmed.isPresent()) {
            return new CanaryDecision(CanaryAction.ROLLBACK, state.rollback(now), at + " " + harm(harmed.get()) + "; rolling back", evidence);
        }
        if (errors.exceedsGate()) {
            return hold(state, evidence, format(
                    "%s candidate error rate exceeds baseline by %.3f points (gate %s) but not significantly yet (p = %.3g, alpha %s)",
                    at, errors.increasePoints(), number(errors.maxIncreasePoints()), errors.pValue(), number(alpha)));
        }
        List<String> unread = evidence.unavailableGuardrails();
        if (!unread.isEmpty()) {
            return hold(state, evidence, at + " guardrail metrics " + unread + " could not be read, so harm cannot be ruled out");
        }
        String health = format("%s healthy after %ds with %d/%d requests: error rate %+.3f points (gate %s), p99 ratio %.2f (gate %s)%s",
                at, evidence.timeInStep().toSeconds(), baseline.requests(), candidate.requests(), errors.increasePoints(),
                number(errors.maxIncreasePoints()), latency.ratio(), number(latency.maxRatio()), guardrailSummary(evidence.guardrails()));
        int nextStep = state.stepIndex() + 1;
        if (nextStep == spec.finalStepIndex()) {
            return new CanaryDecision(CanaryAction.PROMOTE, state.promote(now), health + "; promoting to 100%", evidence);
        }
        double nextWeight = spec.steps().get(nextStep);
        return new CanaryDecision(CanaryAction.ADVANCE, state.advance(nextStep, nextWeight, now),
                health + "; advancing to " + percent(nextWeight), evidence);
    }

    private static String harm(GuardrailCheck check) {
        GuardrailWindow window = check.window().orElseThrow();
        SequentialResult result = check.result().orElseThrow();
        Effect difference = result.absolute();
        return format("guardrail %s is significantly worse on the candidate (%s is better): per-unit mean %.4g over %d units"
                        + " vs baseline %.4g over %d units, difference %.4g, %s%% confidence sequence [%.4g, %.4g], always-valid p = %.3g < alpha %s",
                check.metric().name(), check.metric().direction() == Direction.HIGHER_IS_BETTER ? "higher" : "lower",
                window.candidate().mean(), window.candidate().units(), window.baseline().mean(), window.baseline().units(),
                difference.estimate(), number(confidencePercent(check.alpha())), difference.interval().lower(),
                difference.interval().upper(), result.pValue(), number(check.alpha()));
    }

    /** ", guardrails: converted no harm detected (difference -0.01, p = 0.43)", or nothing without guardrails. */
    private static String guardrailSummary(List<GuardrailCheck> checks) {
        if (checks.isEmpty()) {
            return "";
        }
        return ", guardrails: " + checks.stream().map(check -> check.result()
                .map(r -> format("%s no harm detected (difference %.4g, p = %.3g)", check.metric().name(),
                        r.absolute().estimate(), r.pValue()))
                .orElseGet(() -> check.metric().name() + " too few units to test")).collect(Collectors.joining(", "));
    }

    /** 99.5 for alpha 0.005, without the floating-point tail of {@code 100 * (1 - alpha)}. */
    private static double confidencePercent(double alpha) {
        return Math.round(10_000.0 * (1.0 - alpha)) / 100.0;
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
