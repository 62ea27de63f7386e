package dev.modelgate.statistics.quality;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap (Efron and Tibshirani 1993, ch. 13) for metrics without a standard analytic
 * interval. Seeded, so a window's report is reproducible.
 *
 * @param replicates resamples per interval
 */
public record Bootstrap(int replicates, long seed) {

    public static final Bootstrap DEFAULT = new Bootstrap(400, 20261207L);

    public Bootstrap {
        if (replicates < 20) {
            throw new IllegalArgumentException("replicates must be >= 20, was " + replicates);
        }
    }

    /** The interval around {@code statistic(original)}; replicates where the metric is undefined are skipped. */
    <T> MetricEstimate interval(T original, long n, Function<SplittableRandom, T> resample,
                                ToDoubleFunction<T> statistic, Confidence confidence) {
        double value = statistic.applyAsDouble(original);
        if (Double.isNaN(value)) {
            return MetricEstimate.undefined(n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[replicates];
        int kept = 0;
        for (int r = 0; r < replicates; r++) {
            double v = statistic.applyAsDouble(resample.apply(random));
            if (!Double.isNaN(v)) {
                values[kept++] = v;
            }
        }
        if (kept == 0) {
            return new MetricEstimate(value, Double.NaN, Double.NaN, Double.NaN, n);
        }
        double[] sorted = Arrays.copyOf(values, kept);
        Arrays.sort(sorted);
        double tail = (1 - confidence.level()) / 2;
        return new MetricEstimate(value, quantile(sorted, tail), quantile(sorted, 1 - tail), standardDeviation(sorted), n);
    }

    /** Linear interpolation between order statistics (numpy's default quantile). */
    private static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double standardDeviation(double[] values) {
        if (values.length < 2) {
            return Double.NaN;
        }
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1));
    }
}
