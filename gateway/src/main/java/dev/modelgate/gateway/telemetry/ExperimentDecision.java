package dev.modelgate.gateway.telemetry;

import java.util.Objects;

/**
 * One row of {@code experiment_decisions}: a change to an experiment (who, when, old → new) or a
 * canary controller decision with its evidence. Specs and evidence are JSON text.
 *
 * @param action          put, delete, pause, resume, promote, rollback, advance or hold
 * @param actor           the admin caller, or {@code canary-controller}
 * @param candidateWeight the canary's candidate share after the decision, percent; NaN for other kinds
 */
public record ExperimentDecision(
        String decisionId,
        long timestampMillis,
        String experiment,
        String model,
        String kind,
        String action,
        String actor,
        String reason,
        String evidenceJson,
        String oldSpecJson,
        String newSpecJson,
        double candidateWeight,
        String instanceId) {

    public ExperimentDecision {
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(action, "action");
    }
}
