package dev.modelgate.experiments.stats.sequential;

import dev.modelgate.experiments.stats.Effect;
import dev.modelgate.experiments.stats.Validate;

import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of an always-valid comparison at the current sample size.
 *
 * @param pValue   always-valid two-sided p-value for {@code treatment = control}
 * @param absolute {@code treatment - control} with its confidence sequence at the current time
 * @param relative lift {@code treatment / control - 1} with its confidence sequence; empty when the
 *                 control mean is zero
 */
public record SequentialResult(double pValue, Effect absolute, Optional<Effect> relative) {

    public SequentialResult {
        Validate.nonNegative("pValue", pValue);
        Objects.requireNonNull(absolute, "absolute");
        Objects.requireNonNull(relative, "relative");
    }

    public boolean isSignificant(double alpha) {
        return pValue < alpha;
    }
}
