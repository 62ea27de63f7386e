package dev.modelgate.gateway.drift;

import dev.modelgate.drift.profile.FeatureType;
import dev.modelgate.drift.profile.ProfilerSettings;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.drift.profile.ReferenceProfiler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Profiles reference rows for a variant. Only columns the variant logs are accepted, and all of them
 * are numeric, because the prediction log stores every feature and output as Float64: a text value
 * in a reference could never be compared with traffic. Not thread-safe: one per reference.
 */
final class ReferenceBuilder {

    private final Set<String> columns;
    private final ReferenceProfiler profiler;
    private long rows;

    ReferenceBuilder(List<String> columns, RandomGenerator random) {
        this.columns = Set.copyOf(columns);
        Map<String, FeatureType> types = new LinkedHashMap<>();
        columns.forEach(column -> types.put(column, FeatureType.NUMERIC));
        this.profiler = new ReferenceProfiler(ProfilerSettings.defaults().withDeclaredTypes(types), random);
    }

    /** @throws IllegalArgumentException naming unknown columns or a non-numeric value */
    ReferenceBuilder accept(Map<String, ?> row) {
        if (!columns.containsAll(row.keySet())) {
            Set<String> unknown = new TreeSet<>(row.keySet());
            unknown.removeAll(columns);
            throw new IllegalArgumentException("unknown columns " + unknown + " in reference row " + (rows + 1)
                    + "; this model logs " + new TreeSet<>(columns));
        }
        try {
            profiler.accept(row);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reference row " + (rows + 1) + ": " + e.getMessage(), e);
        }
        rows++;
        return this;
    }

    long rows() {
        return rows;
    }

    /** @throws IllegalArgumentException when no row had a value */
    ReferenceProfile build() {
        ReferenceProfile profile = profiler.build();
        if (profile.features().isEmpty()) {
            throw new IllegalArgumentException("the reference holds no values");
        }
        return profile;
    }
}
