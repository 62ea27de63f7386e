package dev.modelgate.gateway.config;

import java.util.List;
import java.util.Map;

/**
 * One deployable version of a model.
 *
 * @param featureNames for inputs of shape [rows, k]: the names of the k columns, so telemetry and drift
 *                     speak of {@code amount} rather than {@code features[0]}
 */
public record VariantConfig(String name, String version, BackendConfig backend, Map<String, List<String>> featureNames) {

    public VariantConfig {
        featureNames = Map.copyOf(featureNames);
    }
}
