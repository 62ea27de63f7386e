package dev.modelgate.gateway.state;

import dev.modelgate.experiments.canary.CanaryState;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentSpec;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An experiment as every replica sees it: the spec, the canary's rollout state (canaries only), who
 * changed it last and when, the controller's latest decision, and the revision of the experiment set
 * at which it was last written (0 until a store has written it: a configured seed loses to any write).
 */
public record StoredExperiment(
        ExperimentSpec spec,
        Optional<CanaryState> canary,
        Instant updatedAt,
        String updatedBy,
        Optional<DecisionSummary> lastDecision,
        long revision) {

    /** The last decision about an experiment, kept with it so that every replica's admin API shows it. */
    public record DecisionSummary(String action, String reason, Instant at) {}

    public StoredExperiment {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
        if (spec instanceof CanarySpec && canary.isEmpty()) {
            throw new IllegalArgumentException("canary experiment '" + spec.name() + "' needs a canary state");
        }
    }

    /** A new experiment; a canary starts at its first step. */
    public static StoredExperiment created(ExperimentSpec spec, Instant now, String actor) {
        Optional<CanaryState> canary = spec instanceof CanarySpec c ? Optional.of(CanaryState.start(c, now)) : Optional.empty();
        return new StoredExperiment(spec, canary, now, actor, Optional.empty(), 0);
    }

    public String name() {
        return spec.name();
    }

    public StoredExperiment withSpec(ExperimentSpec newSpec, Instant now, String actor) {
        return new StoredExperiment(newSpec, canary, now, actor, lastDecision, revision);
    }

    public StoredExperiment withCanary(CanaryState state, Instant now, String actor, DecisionSummary decision) {
        return new StoredExperiment(spec, Optional.of(state), now, actor, Optional.of(decision), revision);
    }

    /** The same experiment as written at {@code setRevision}; only stores stamp revisions. */
    public StoredExperiment atRevision(long setRevision) {
        return new StoredExperiment(spec, canary, updatedAt, updatedBy, lastDecision, setRevision);
    }
}
