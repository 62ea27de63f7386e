package dev.modelgate.experiments.canary;

import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.MeanSummary;
import dev.modelgate.experiments.stats.ProportionSummary;
import dev.modelgate.experiments.stats.SampleStatistics;
import java.util.Optional;

/**
 * What one variant's units did on one metric during the current step: the sums a database aggregates
 * over per-unit values (a unit's 0/1 conversion, or its per-unit number), so that only three numbers
 * per variant leave it however much traffic there was.
 *
 * @param units        units first exposed in the step
 * @param sum          sum of the per-unit values
 * @param sumOfSquares sum of their squares
 */
public record MetricWindow(long units, double sum, double sumOfSquares) {

    public MetricWindow {
        if (units < 0) {
            throw new IllegalArgumentException("units must not be negative, got " + units);
        }
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException("sum must be finite, got " + sum);
        }
        if (!(sumOfSquares >= 0.0 && Double.isFinite(sumOfSquares))) {
            throw new IllegalArgumentException("sumOfSquares must be finite and non-negative, got " + sumOfSquares);
        }
    }

    /** Mean per-unit value; NaN without units. */
    public double mean() {
        return units == 0 ? Double.NaN : sum / units;
    }

    /**
     * The sufficient statistics a test needs, or empty when the arm is too small to have them (no unit for
     * a rate, fewer than two for a sample variance).
     *
     * @throws IllegalArgumentException when a binary metric counts more conversions than units
     */
    Optional<SampleStatistics> summary(MetricSpec.Kind kind) {
        if (kind == MetricSpec.Kind.BINARY) {
            // the sum of 0/1 conversions is a whole number; rounding only removes floating-point noise
            return units < 1 ? Optional.empty() : Optional.of(new ProportionSummary(units, Math.round(sum)));
        }
        return units < 2 ? Optional.empty() : Optional.of(MeanSummary.fromSums(units, sum, sumOfSquares));
    }
}
