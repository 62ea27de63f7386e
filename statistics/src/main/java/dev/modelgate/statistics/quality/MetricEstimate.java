package dev.modelgate.statistics.quality;

/**
 * One metric of one window: its value, a two-sided confidence interval, the standard error the
 * degradation tests use, and how many labelled rows it rests on. Undefined values (a precision
 * without predicted positives) are NaN throughout.
 *
 * @param standardError NaN when the interval came from the bootstrap and no test uses it
 */
public record MetricEstimate(double value, double lower, double upper, double standardError, long n) {

    /** {@code value ± z·se}, clamped to {@code [min, max]}. */
    static MetricEstimate normal(double value, double standardError, long n, double z, double min, double max) {
        return new MetricEstimate(value, Math.max(min, value - z * standardError), Math.min(max, value + z * standardError),
                standardError, n);
    }

    static MetricEstimate undefined(long n) {
        return new MetricEstimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN, n);
    }
}
