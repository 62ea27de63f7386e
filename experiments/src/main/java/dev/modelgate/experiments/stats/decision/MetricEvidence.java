package dev.modelgate.experiments.stats.decision;

import dev.modelgate.experiments.stats.sequential.SequentialResult;

import java.util.Objects;

/**
 * One metric's always-valid result for a treatment against control.
 *
 * @param guardrail true for metrics that must not get worse (latency, errors) rather than be improved
 */
public record MetricEvidence(String metric, Direction direction, boolean guardrail, SequentialResult result) {

    public MetricEvidence {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric must be a non-blank name");
        }
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(result, "result");
    }
}
