package dev.modelgate.drift.profile;

/** How a feature's values are compared. */
public enum FeatureType {
    NUMERIC,
    CATEGORICAL
}
