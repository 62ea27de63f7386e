package dev.modelgate.drift.evaluate;

import java.util.Map;

/**
 * How features are compared and how feature results become a dataset verdict.
 *
 * @param smallSampleLimit current windows up to this many values use a p-value test (default 1000)
 * @param driftShare the dataset drifts when at least this share of features drift (default 0.5)
 * @param overrides per-feature method and threshold replacing the automatic choice
 */
public record DriftSettings(int smallSampleLimit, double driftShare, Map<String, MethodChoice> overrides) {

    public static final int DEFAULT_SMALL_SAMPLE_LIMIT = 1000;
    public static final double DEFAULT_DRIFT_SHARE = 0.5;

    public DriftSettings {
        if (smallSampleLimit < 1) {
            throw new IllegalArgumentException("smallSampleLimit must be >= 1, was " + smallSampleLimit);
        }
        if (!(driftShare > 0.0 && driftShare <= 1.0)) {
            throw new IllegalArgumentException("driftShare must be in (0, 1], was " + driftShare);
        }
        overrides = Map.copyOf(overrides);
    }

    public static DriftSettings defaults() {
        return new DriftSettings(DEFAULT_SMALL_SAMPLE_LIMIT, DEFAULT_DRIFT_SHARE, Map.of());
    }

    public DriftSettings withOverrides(Map<String, MethodChoice> newOverrides) {
        return new DriftSettings(smallSampleLimit, driftShare, newOverrides);
    }
}
