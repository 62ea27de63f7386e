package dev.modelgate.experiments.stats.decision;

import java.util.List;
import java.util.Objects;

/** A decision with the human-readable reasons that led to it. */
public record Recommendation(Decision decision, List<String> reasons) {

    public Recommendation {
        Objects.requireNonNull(decision, "decision");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("reasons must explain the decision, was empty");
        }
    }
}
