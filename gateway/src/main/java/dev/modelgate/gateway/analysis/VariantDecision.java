package dev.modelgate.gateway.analysis;

import dev.modelgate.experiments.stats.decision.Recommendation;
import java.util.Objects;

/** The recommendation for one treatment variant, with its reasons. */
public record VariantDecision(String variant, Recommendation recommendation) {

    public VariantDecision {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(recommendation, "recommendation");
    }
}
