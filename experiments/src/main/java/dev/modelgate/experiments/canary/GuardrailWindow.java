package dev.modelgate.experiments.canary;

import java.util.Objects;

/**
 * One guardrail metric observed on both variants over the units first exposed in the current step.
 *
 * @param metric    name of a guardrail metric of the canary's spec
 * @param baseline  the baseline's units
 * @param candidate the candidate's units
 */
public record GuardrailWindow(String metric, MetricWindow baseline, MetricWindow candidate) {

    public GuardrailWindow {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric must be a non-blank name");
        }
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(candidate, "candidate");
    }
}
