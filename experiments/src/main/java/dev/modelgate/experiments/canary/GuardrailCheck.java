package dev.modelgate.experiments.canary;

import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.sequential.SequentialResult;
import java.util.Objects;
import java.util.Optional;

/**
 * One guardrail metric's always-valid comparison of the candidate against the baseline at the current step.
 *
 * @param metric the guardrail metric of the spec
 * @param window what was observed; empty when nothing could be read
 * @param result candidate minus baseline with its confidence sequence at level {@code 1 - alpha} and the
 *               always-valid p-value; empty when unavailable or too few units to test
 * @param alpha  level this metric is tested at (the evaluator's alpha shared out among the guardrails)
 */
public record GuardrailCheck(MetricSpec metric, Optional<GuardrailWindow> window, Optional<SequentialResult> result,
                             double alpha) {

    public GuardrailCheck {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(result, "result");
        if (window.isEmpty() && result.isPresent()) {
            throw new IllegalArgumentException("a result needs the window it was computed from, metric " + metric.name());
        }
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
    }

    public GuardrailVerdict verdict() {
        if (window.isEmpty()) {
            return GuardrailVerdict.UNAVAILABLE;
        }
        if (result.isEmpty()) {
            return GuardrailVerdict.TOO_FEW_UNITS;
        }
        SequentialResult tested = result.get();
        return tested.isSignificant(alpha) && metric.direction().harms(tested.absolute().estimate())
                ? GuardrailVerdict.HARMFUL : GuardrailVerdict.NO_HARM_DETECTED;
    }
}
