package dev.modelgate.drift.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reference summary of a numeric feature.
 *
 * <p>Moments, extremes and {@code count} cover every reference value; the quantile bins and their
 * counts are computed on {@code sample}, a uniform reservoir sample (all values when the reference is
 * no larger than the reservoir), because exact quantiles of a stream need the whole stream.
 *
 * @param count non-missing reference values
 * @param missing reference values that were null or NaN
 * @param mean arithmetic mean
 * @param std population standard deviation (ddof = 0, as {@code numpy.std})
 * @param min smallest value
 * @param max largest value
 * @param binEdges strictly increasing interior edges; bin k is (edge[k−1], edge[k]] with open outer bins
 * @param binCounts sample values per bin, one more than there are edges
 * @param sample reservoir sample used by the exact two-sample tests
 * @param binaryValueCounts exact count per distinct value when the reference holds at most two
 *     distinct values (such features are tested as categorical, as Evidently does); empty otherwise
 */
public record NumericProfile(long count, long missing, double mean, double std, double min, double max,
                             List<Double> binEdges, List<Long> binCounts, List<Double> sample,
                             Map<Double, Long> binaryValueCounts) implements FeatureProfile {

    public NumericProfile {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        if (missing < 0) {
            throw new IllegalArgumentException("missing must be >= 0, was " + missing);
        }
        requireFinite("mean", mean);
        requireFinite("std", std);
        requireFinite("min", min);
        requireFinite("max", max);
        if (std < 0) {
            throw new IllegalArgumentException("std must be >= 0, was " + std);
        }
        if (min > max) {
            throw new IllegalArgumentException("min must be <= max, was " + min + " > " + max);
        }
        binEdges = List.copyOf(binEdges);
        binCounts = List.copyOf(binCounts);
        sample = List.copyOf(sample);
        for (int i = 1; i < binEdges.size(); i++) {
            if (!(binEdges.get(i) > binEdges.get(i - 1))) {
                throw new IllegalArgumentException("binEdges must be strictly increasing, found " + binEdges);
            }
        }
        if (binCounts.size() != binEdges.size() + 1) {
            throw new IllegalArgumentException("binCounts must have one more entry than binEdges ("
                    + (binEdges.size() + 1) + "), had " + binCounts.size());
        }
        if (sample.isEmpty() || sample.size() > count) {
            throw new IllegalArgumentException("sample size must be in [1, count], was " + sample.size());
        }
        if (binCounts.stream().mapToLong(Long::longValue).sum() != sample.size()) {
            throw new IllegalArgumentException("binCounts must sum to the sample size " + sample.size());
        }
        if (binaryValueCounts.size() > 2) {
            throw new IllegalArgumentException("binaryValueCounts must hold at most two values, had " + binaryValueCounts.size());
        }
        binaryValueCounts = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(binaryValueCounts)));
    }

    @Override
    public FeatureType type() {
        return FeatureType.NUMERIC;
    }

    public boolean isBinary() {
        return !binaryValueCounts.isEmpty();
    }

    public double[] sampleArray() {
        return sample.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public double[] binEdgeArray() {
        return binEdges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be finite, was " + value);
        }
    }
}
