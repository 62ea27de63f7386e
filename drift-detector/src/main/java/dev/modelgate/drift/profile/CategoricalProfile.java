package dev.modelgate.drift.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reference category counts (exact: every reference row is counted).
 *
 * @param count non-missing reference values, equal to the sum of {@code categoryCounts}
 * @param missing reference values that were null
 * @param categoryCounts count per category, iterated in category order
 */
public record CategoricalProfile(long count, long missing, Map<String, Long> categoryCounts) implements FeatureProfile {

    public CategoricalProfile {
        if (missing < 0) {
            throw new IllegalArgumentException("missing must be >= 0, was " + missing);
        }
        if (categoryCounts == null) {
            throw new IllegalArgumentException("categoryCounts must not be null");
        }
        long total = 0;
        for (Map.Entry<String, Long> e : categoryCounts.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || e.getValue() <= 0) {
                throw new IllegalArgumentException("categoryCounts must map non-null categories to positive counts, found "
                        + e.getKey() + "=" + e.getValue());
            }
            total += e.getValue();
        }
        if (total != count) {
            throw new IllegalArgumentException("count must equal the sum of categoryCounts (" + total + "), was " + count);
        }
        categoryCounts = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(categoryCounts)));
    }

    @Override
    public FeatureType type() {
        return FeatureType.CATEGORICAL;
    }

    /** Share of non-missing reference values in the category; 0 for a category never seen. */
    public double frequency(String category) {
        return count == 0 ? 0.0 : categoryCounts.getOrDefault(category, 0L) / (double) count;
    }
}
