package dev.modelgate.drift.evaluate;

import java.util.List;

/**
 * Verdict over all features of a window.
 *
 * @param features per-feature results, p-value tests judged after Benjamini–Hochberg
 * @param featuresWithoutData reference features with no current value (not counted in the share)
 * @param driftedShare drifted features / compared features (0 when none was compared)
 * @param shareThreshold share at or above which the dataset drifts
 * @param drifted {@code driftedShare >= shareThreshold} and at least one feature compared
 * @param smallestCurrentSize fewest current values behind any compared feature (0 when none), for
 *     minimum-sample rules
 */
public record DatasetDrift(List<FeatureDrift> features, List<String> featuresWithoutData, double driftedShare,
                           double shareThreshold, boolean drifted, long smallestCurrentSize) {

    public DatasetDrift {
        features = List.copyOf(features);
        featuresWithoutData = List.copyOf(featuresWithoutData);
    }

    public long driftedCount() {
        return features.stream().filter(FeatureDrift::drifted).count();
    }
}
