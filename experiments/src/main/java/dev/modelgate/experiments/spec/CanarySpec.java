package dev.modelgate.experiments.spec;

import java.time.Duration;
import java.util.List;

/**
 * Progressive rollout of {@code candidate} next to {@code baseline}: the candidate's share walks up
 * {@code steps} while the health gates hold. Where the rollout currently is lives in
 * {@code dev.modelgate.experiments.canary.CanaryState}, not here: the spec is what the user asked for.
 *
 * @param meta               common fields; the default variant is the baseline or the candidate
 * @param baseline           variant currently trusted
 * @param candidate          variant being rolled out
 * @param steps              candidate percentages, strictly increasing, each a multiple of 0.01, the last 100;
 *                           at least one step below 100 (the comparison needs baseline traffic)
 * @param minStepDuration    minimum time at a step before any decision other than HOLD
 * @param minRequestsPerStep minimum requests each variant must have served at a step before any decision other than HOLD
 * @param gates              health gates
 */
public record CanarySpec(ExperimentMeta meta, String baseline, String candidate, List<Double> steps,
                         Duration minStepDuration, long minRequestsPerStep, HealthGates gates)
        implements ExperimentSpec {

    public CanarySpec {
        Checks.required("meta", meta);
        Checks.name("baseline", baseline);
        Checks.name("candidate", candidate);
        if (baseline.equals(candidate)) {
            throw new SpecValidationException("candidate", "must differ from the baseline '" + baseline + "'");
        }
        steps = validSteps(steps);
        Checks.required("min_step_duration_seconds", minStepDuration);
        if (minStepDuration.isNegative()) {
            throw new SpecValidationException("min_step_duration_seconds", "must not be negative, got " + minStepDuration.toSeconds());
        }
        if (minRequestsPerStep < 1) {
            throw new SpecValidationException("min_requests_per_step", "must be at least 1, got " + minRequestsPerStep);
        }
        Checks.required("gates", gates);
        meta.requireDefaultAmong(List.of(baseline, candidate));
    }

    private static List<Double> validSteps(List<Double> steps) {
        Checks.required("steps", steps);
        if (steps.size() < 2) {
            throw new SpecValidationException("steps", "must have at least one step below 100 and end with 100, got " + steps);
        }
        double previous = 0.0;
        for (int i = 0; i < steps.size(); i++) {
            String field = "steps[" + i + "]";
            Double step = Checks.required(field, steps.get(i));
            Checks.percent(field, step, 0.0);
            if (step <= previous) {
                throw new SpecValidationException(field, "must be greater than the previous step " + Checks.format(previous));
            }
            previous = step;
        }
        if (previous != 100.0) {
            throw new SpecValidationException("steps[" + (steps.size() - 1) + "]", "the last step must be 100, got " + Checks.format(previous));
        }
        return List.copyOf(steps);
    }

    /** Index of the last step, the one at which the candidate takes all traffic. */
    public int finalStepIndex() {
        return steps.size() - 1;
    }

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.CANARY;
    }

    @Override
    public List<String> servingVariants() {
        return List.of(baseline, candidate);
    }

    @Override
    public CanarySpec withStatus(ExperimentStatus status) {
        return new CanarySpec(meta.withStatus(status), baseline, candidate, steps, minStepDuration, minRequestsPerStep, gates);
    }
}
