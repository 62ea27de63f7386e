package dev.modelgate.drift.profile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Builds a {@link ReferenceProfile} from rows read one at a time, so a reference of any length is
 * profiled in bounded memory (per numeric feature: the reservoir; per categorical feature: one count
 * per distinct category). Not thread-safe: one profiler per reference load.
 */
public final class ReferenceProfiler {

    private final ProfilerSettings settings;
    private final RandomGenerator random;
    private final Map<String, FeatureAccumulator> features = new LinkedHashMap<>();

    /**
     * @param random drives the reservoir sampling; pass a seeded generator for repeatable profiles
     */
    public ReferenceProfiler(ProfilerSettings settings, RandomGenerator random) {
        this.settings = settings;
        this.random = random;
    }

    /** Adds one row: feature name → value (Number, String, Boolean; null or NaN = missing). */
    public ReferenceProfiler accept(Map<String, ?> row) {
        for (Map.Entry<String, ?> cell : row.entrySet()) {
            FeatureAccumulator accumulator = features.get(cell.getKey());
            if (accumulator == null) {
                FeatureType type = settings.declaredTypes().get(cell.getKey());
                if (type == null && FeatureValues.isMissing(cell.getValue())) {
                    continue; // the type is not known yet; wait for a real value
                }
                accumulator = newAccumulator(cell.getKey(), type != null ? type : FeatureValues.inferType(cell.getValue()));
                features.put(cell.getKey(), accumulator);
            }
            accumulator.accept(cell.getValue());
        }
        return this;
    }

    /** The profile of everything accepted so far; features that only ever had missing values are left out. */
    public ReferenceProfile build() {
        Map<String, FeatureProfile> profiles = new LinkedHashMap<>();
        features.forEach((name, accumulator) -> accumulator.toProfile().ifPresent(p -> profiles.put(name, p)));
        return new ReferenceProfile(profiles);
    }

    private FeatureAccumulator newAccumulator(String feature, FeatureType type) {
        return type == FeatureType.NUMERIC
                ? new NumericAccumulator(feature, settings, random)
                : new CategoricalAccumulator();
    }
}
