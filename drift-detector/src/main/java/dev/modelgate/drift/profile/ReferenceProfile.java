package dev.modelgate.drift.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference profile of a model: one {@link FeatureProfile} per input feature or output, in the
 * order the features were first seen. Stored by the caller (e.g. as JSON via {@link ProfileMaps}).
 */
public record ReferenceProfile(Map<String, FeatureProfile> features) {

    public ReferenceProfile {
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        features.forEach((name, profile) -> {
            if (name == null || name.isBlank() || profile == null) {
                throw new IllegalArgumentException("features must map non-blank names to profiles, found " + name);
            }
        });
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    public FeatureProfile feature(String name) {
        FeatureProfile profile = features.get(name);
        if (profile == null) {
            throw new IllegalArgumentException("no reference profile for feature '" + name + "'");
        }
        return profile;
    }
}
