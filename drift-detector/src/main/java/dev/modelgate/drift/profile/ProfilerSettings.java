package dev.modelgate.drift.profile;

import java.util.Map;

/**
 * How reference profiles are built.
 *
 * @param binCount quantile bins per numeric feature before merging equal edges (default 10)
 * @param reservoirCapacity bound on the reference sample kept per numeric feature (default 5,000)
 * @param declaredTypes feature types fixed up front; other features take the type of their first
 *     non-missing value (numbers → numeric, anything else → categorical)
 */
public record ProfilerSettings(int binCount, int reservoirCapacity, Map<String, FeatureType> declaredTypes) {

    public static final int DEFAULT_BIN_COUNT = 10;
    public static final int DEFAULT_RESERVOIR_CAPACITY = 5_000;

    public ProfilerSettings {
        if (binCount < 2) {
            throw new IllegalArgumentException("binCount must be >= 2, was " + binCount);
        }
        if (reservoirCapacity < 1) {
            throw new IllegalArgumentException("reservoirCapacity must be >= 1, was " + reservoirCapacity);
        }
        declaredTypes = Map.copyOf(declaredTypes);
    }

    public static ProfilerSettings defaults() {
        return new ProfilerSettings(DEFAULT_BIN_COUNT, DEFAULT_RESERVOIR_CAPACITY, Map.of());
    }

    public ProfilerSettings withDeclaredTypes(Map<String, FeatureType> types) {
        return new ProfilerSettings(binCount, reservoirCapacity, types);
    }

    public ProfilerSettings withReservoirCapacity(int capacity) {
        return new ProfilerSettings(binCount, capacity, declaredTypes);
    }
}
