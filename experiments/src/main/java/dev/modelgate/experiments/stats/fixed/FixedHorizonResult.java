package dev.modelgate.experiments.stats.fixed;

import dev.modelgate.experiments.stats.Effect;
import dev.modelgate.experiments.stats.Validate;

import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of a fixed-horizon two-sample test.
 *
 * @param statistic z or t statistic of {@code treatment - control}
 * @param pValue    two-sided p-value
 * @param absolute  {@code treatment - control} with its confidence interval
 * @param relative  lift {@code treatment / control - 1} with its delta-method interval; empty when the
 *                  control mean is zero
 */
public record FixedHorizonResult(double statistic, double pValue, Effect absolute, Optional<Effect> relative) {

    public FixedHorizonResult {
        Validate.finite("statistic", statistic);
        Validate.nonNegative("pValue", pValue);
        Objects.requireNonNull(absolute, "absolute");
        Objects.requireNonNull(relative, "relative");
    }
}
