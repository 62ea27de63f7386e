package dev.modelgate.gateway.config;

import java.time.Duration;
import java.util.Map;

/**
 * A model as callers see it ({@code /v2/models/{name}}), with the variants that can serve it.
 *
 * @param defaultVariant serves every request no experiment claims
 * @param timeout        deadline of one inference on this model
 * @param scoreOutput    the output whose first element is logged as the primary score; empty = the first output
 */
public record ModelConfig(String name, String defaultVariant, Map<String, VariantConfig> variants, Duration timeout, String scoreOutput) {

    public ModelConfig {
        variants = Map.copyOf(variants);
    }

    public VariantConfig defaultVariantConfig() {
        return variants.get(defaultVariant);
    }
}
