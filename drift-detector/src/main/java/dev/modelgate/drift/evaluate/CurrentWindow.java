package dev.modelgate.drift.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.modelgate.drift.profile.FeatureProfile;
import dev.modelgate.drift.profile.FeatureValues;
import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.drift.profile.ReferenceProfile;

/**
 * The recent values to compare with a reference, read with the reference's feature types. Missing
 * values (null, NaN) are left out; features the reference does not know are ignored.
 *
 * <p>A feature may also be given as counts per reference cell (bin or category), aggregated where
 * the data lives: a database counts a million-row window far faster than it ships the values. Its
 * size is then the counted total and the cell methods (chi-square, PSI, Jensen–Shannon) use the
 * counts, while values added one by one remain the sample for KS and Wasserstein.
 */
public final class CurrentWindow {

    private final Map<String, double[]> numeric;
    private final Map<String, List<String>> categorical;
    private final Map<String, long[]> binCounts;
    private final Map<String, Map<String, Long>> categoryCounts;

    private CurrentWindow(Map<String, double[]> numeric, Map<String, List<String>> categorical,
                          Map<String, long[]> binCounts, Map<String, Map<String, Long>> categoryCounts) {
        this.numeric = numeric;
        this.categorical = categorical;
        this.binCounts = binCounts;
        this.categoryCounts = categoryCounts;
    }

    public static Builder builder(ReferenceProfile reference) {
        return new Builder(reference);
    }

    /** Non-missing values of the feature in this window (the counted total when given as counts). */
    public long size(String feature) {
        long[] bins = binCounts.get(feature);
        if (bins != null) {
            return Arrays.stream(bins).sum();
        }
        Map<String, Long> categories = categoryCounts.get(feature);
        if (categories != null) {
            return categories.values().stream().mapToLong(Long::longValue).sum();
        }
        double[] values = numeric.get(feature);
        if (values != null) {
            return values.length;
        }
        List<String> labels = categorical.get(feature);
        return labels == null ? 0 : labels.size();
    }

    double[] numericValues(String feature) {
        return numeric.getOrDefault(feature, new double[0]).clone();
    }

    List<String> categoricalValues(String feature) {
        return categorical.getOrDefault(feature, List.of());
    }

    /** Counts per reference bin when the feature was given as counts; null otherwise. */
    long[] countedBins(String feature) {
        long[] counts = binCounts.get(feature);
        return counts == null ? null : counts.clone();
    }

    /** Counts per category when the feature was given as counts; null otherwise. */
    Map<String, Long> countedCategories(String feature) {
        return categoryCounts.get(feature);
    }

    /** Accumulates rows; not thread-safe. */
    public static final class Builder {

        private final ReferenceProfile reference;
        private final Map<String, double[]> numeric = new LinkedHashMap<>();
        private final Map<String, Integer> numericSizes = new LinkedHashMap<>();
        private final Map<String, List<String>> categorical = new LinkedHashMap<>();
        private final Map<String, long[]> binCounts = new LinkedHashMap<>();
        private final Map<String, Map<String, Long>> categoryCounts = new LinkedHashMap<>();

        private Builder(ReferenceProfile reference) {
            this.reference = reference;
        }

        /** Adds one row: feature name → value, as for the reference. */
        public Builder accept(Map<String, ?> row) {
            row.forEach(this::add);
            return this;
        }

        public Builder add(String feature, Object value) {
            FeatureProfile profile = reference.features().get(feature);
            if (profile == null || FeatureValues.isMissing(value)) {
                return this;
            }
            if (profile instanceof NumericProfile) {
                double v = FeatureValues.numeric(feature, value);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("feature '" + feature + "' must be finite, got " + v);
                }
                appendNumeric(feature, v);
            } else {
                categorical.computeIfAbsent(feature, f -> new ArrayList<>()).add(FeatureValues.category(value));
            }
            return this;
        }

        /**
         * Counts of a numeric feature's current values per reference bin, in the order of its
         * {@link NumericProfile#binCounts()} (bin k holds (edge[k−1], edge[k]]).
         *
         * @throws IllegalArgumentException when the feature is not a binned numeric feature of the
         *     reference, or the counts do not match its bins
         */
        public Builder binCounts(String feature, long[] counts) {
            FeatureProfile profile = reference.features().get(feature);
            if (!(profile instanceof NumericProfile) || ((NumericProfile) profile).isBinary()) {
                throw new IllegalArgumentException("feature '" + feature + "' is not compared on reference bins;"
                        + " give its counts per category instead");
            }
            int bins = ((NumericProfile) profile).binCounts().size();
            if (counts.length != bins) {
                throw new IllegalArgumentException("feature '" + feature + "' has " + bins + " reference bins, got "
                        + counts.length + " counts");
            }
            requireNonNegative(feature, Arrays.stream(counts).boxed().collect(Collectors.toList()));
            binCounts.put(feature, counts.clone());
            return this;
        }

        /**
         * Counts of a feature's current values per category label: categorical features, and numeric
         * ones with at most two reference values, labelled by {@link FeatureValues#numericCategory}.
         *
         * @throws IllegalArgumentException when the feature is compared on bins, or a count is negative
         */
        public Builder categoryCounts(String feature, Map<String, Long> counts) {
            FeatureProfile profile = reference.features().get(feature);
            if (profile == null) {
                throw new IllegalArgumentException("feature '" + feature + "' is not in the reference");
            }
            if (MethodSelector.comparedAsNumeric(profile)) {
                throw new IllegalArgumentException("feature '" + feature + "' is compared on reference bins;"
                        + " give its bin counts instead");
            }
            requireNonNegative(feature, counts.values());
            categoryCounts.put(feature, Collections.unmodifiableMap(new LinkedHashMap<>(counts)));
            return this;
        }

        public CurrentWindow build() {
            Map<String, double[]> numericCopy = new LinkedHashMap<>();
            numeric.forEach((f, values) -> numericCopy.put(f, Arrays.copyOf(values, numericSizes.get(f))));
            Map<String, List<String>> categoricalCopy = new LinkedHashMap<>();
            categorical.forEach((f, values) -> categoricalCopy.put(f, Collections.unmodifiableList(new ArrayList<>(values))));
            Map<String, long[]> binsCopy = new LinkedHashMap<>();
            binCounts.forEach((f, counts) -> binsCopy.put(f, counts.clone()));
            return new CurrentWindow(numericCopy, categoricalCopy, binsCopy, new LinkedHashMap<>(categoryCounts));
        }

        private static void requireNonNegative(String feature, Collection<Long> counts) {
            for (Long count : counts) {
                if (count == null || count < 0) {
                    throw new IllegalArgumentException("feature '" + feature + "': counts must be >= 0, got " + count);
                }
            }
        }

        private void appendNumeric(String feature, double value) {
            int size = numericSizes.getOrDefault(feature, 0);
            double[] values = numeric.computeIfAbsent(feature, f -> new double[64]);
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                numeric.put(feature, values);
            }
            values[size] = value;
            numericSizes.put(feature, size + 1);
        }
    }
}
