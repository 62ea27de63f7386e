package dev.modelgate.drift.profile;

/** What the reference data looked like for one feature (or one model output). */
public sealed interface FeatureProfile permits NumericProfile, CategoricalProfile {

    FeatureType type();

    /** Non-missing reference values seen. */
    long count();

    /** Reference values that were null or NaN. */
    long missing();
}
