package dev.modelgate.drift.profile;

import java.util.Arrays;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Bins defined by reference quantiles, shared by the profiler (to define and fill them) and the
 * evaluators (to place current values in the same bins).
 */
public final class QuantileBins {

    private QuantileBins() {
    }

    /**
     * Interior edges at the k/binCount quantiles (k = 1..binCount−1) of the values, estimated like
     * {@code numpy.quantile}'s default (linear interpolation, R type 7). Equal quantiles of discrete
     * data are merged, so a feature with few distinct values gets fewer, non-empty bins.
     */
    public static double[] edges(double[] values, int binCount) {
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        percentile.setData(values);
        double[] edges = new double[binCount - 1];
        for (int k = 1; k < binCount; k++) {
            edges[k - 1] = percentile.evaluate(100.0 * k / binCount);
        }
        return Arrays.stream(edges).distinct().sorted().toArray();
    }

    /** Index of the bin (edge[k−1], edge[k]] holding the value; the outer bins are open-ended. */
    public static int binOf(double value, double[] edges) {
        int found = Arrays.binarySearch(edges, value);
        return found >= 0 ? found : -(found + 1);
    }

    public static long[] counts(double[] values, double[] edges) {
        long[] counts = new long[edges.length + 1];
        for (double v : values) {
            counts[binOf(v, edges)]++;
        }
        return counts;
    }
}
