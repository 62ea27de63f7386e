package dev.modelgate.gateway.config;

import dev.modelgate.inference.batching.BatchingSettings;
import dev.modelgate.inference.resilience.ResilienceSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One deployable version of a model.
 *
 * @param featureNames for inputs of shape [rows, k]: the names of the k columns, so telemetry and drift
 *                     speak of {@code amount} rather than {@code features[0]}
 * @param batching     dynamic batching in front of the backend, when configured
 * @param resilience   timeout, circuit breaker, bulkhead and retry around the backend
 */
public record VariantConfig(String name, String version, BackendConfig backend, Map<String, List<String>> featureNames,
                            Optional<BatchingSettings> batching, ResilienceSettings resilience) {

    public VariantConfig {
        // immutable all the way down: the lists are shared by every logged row (FeatureColumns)
        featureNames = featureNames.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> List.copyOf(entry.getValue())));
    }
}
