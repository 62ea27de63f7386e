package dev.modelgate.experiments.stats;

import org.apache.commons.math3.stat.StatUtils;

/**
 * Sufficient statistics of a continuous metric in one arm.
 *
 * @param n        number of units, at least 2 so that the sample variance exists
 * @param mean     sample mean
 * @param variance unbiased sample variance (divisor {@code n - 1})
 */
public record MeanSummary(long n, double mean, double variance) implements SampleStatistics {

    public MeanSummary {
        Validate.atLeast("n", n, 2);
        Validate.finite("mean", mean);
        Validate.nonNegative("variance", variance);
    }

    /**
     * From the sums a database can aggregate ({@code count(), sum(y), sum(y*y)}). A variance that comes
     * out slightly negative from cancellation on constant data is clamped to zero.
     */
    public static MeanSummary fromSums(long n, double sum, double sumOfSquares) {
        Validate.atLeast("n", n, 2);
        Validate.finite("sum", sum);
        Validate.nonNegative("sumOfSquares", sumOfSquares);
        double mean = sum / n;
        double variance = (sumOfSquares - sum * mean) / (n - 1);
        return new MeanSummary(n, mean, Math.max(0.0, variance));
    }

    /** From raw observations (tests, notebooks, small batches). */
    public static MeanSummary of(double... values) {
        return new MeanSummary(values.length, StatUtils.mean(values), StatUtils.variance(values));
    }

    @Override
    public double varianceOfMean() {
        return variance / n;
    }
}
