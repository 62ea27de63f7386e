package dev.modelgate.drift.profile;

import java.util.Optional;

/** Streaming state for one feature while a reference is read. */
interface FeatureAccumulator {

    void accept(Object value);

    /** Empty when the feature never had a non-missing value. */
    Optional<FeatureProfile> toProfile();
}
