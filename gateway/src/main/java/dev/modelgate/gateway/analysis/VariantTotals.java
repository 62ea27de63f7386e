package dev.modelgate.gateway.analysis;

import java.util.Collections;
import java.util.List;

/**
 * What ClickHouse sums up for one variant: its units and, per metric of the spec (same order), the sum
 * and sum of squares of the per-unit values. Enough for every test the analysis runs.
 *
 * @param firstExposureMillis earliest first exposure among the variant's units
 */
public record VariantTotals(String variant, long units, long firstExposureMillis, List<MetricTotals> metrics) {

    /** Per-unit values of one metric summed over the variant's units. */
    public record MetricTotals(double sum, double sumOfSquares) {}

    public VariantTotals {
        if (units < 0) {
            throw new IllegalArgumentException("units must be >= 0, was " + units);
        }
        metrics = List.copyOf(metrics);
    }

    /** A variant no unit was exposed to (yet). */
    static VariantTotals none(String variant, int metricCount) {
        return new VariantTotals(variant, 0, Long.MAX_VALUE,
                Collections.nCopies(metricCount, new MetricTotals(0.0, 0.0)));
    }
}
