package dev.modelgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model as callers see it ({@code /v2/models/{name}}), with the variants that can serve it.
 *
 * @param defaultVariant  serves every request no experiment claims
 * @param timeout         deadline of one inference on this model, fallbacks included
 * @param scoreOutput     the output whose first element is logged as the primary score; empty = the first output
 * @param fallback        variants tried, in order, when the assigned one fails (default: the default variant)
 * @param defaultResponse the static answer ({@code {"outputs": [...]}}, protocol JSON) when every variant failed;
 *                        without one the caller gets the last failure
 * @param quality         what the quality monitor judges the model on; empty = not monitored
 * @param featureLogging  how logged features are protected ({@code features.F.log}), by the name they are
 *                        logged under; features not listed are logged as sent
 */
public record ModelConfig(String name, String defaultVariant, Map<String, VariantConfig> variants, Duration timeout,
                          String scoreOutput, List<String> fallback, Optional<JsonNode> defaultResponse,
                          Optional<QualitySpec> quality, Map<String, FeatureLogging> featureLogging) {

    public ModelConfig {
        variants = Map.copyOf(variants);
        fallback = List.copyOf(fallback);
        featureLogging = Map.copyOf(featureLogging);
    }

    /** A model whose features are all logged as sent. */
    public ModelConfig(String name, String defaultVariant, Map<String, VariantConfig> variants, Duration timeout,
                       String scoreOutput, List<String> fallback, Optional<JsonNode> defaultResponse,
                       Optional<QualitySpec> quality) {
        this(name, defaultVariant, variants, timeout, scoreOutput, fallback, defaultResponse, quality, Map.of());
    }

    public VariantConfig defaultVariantConfig() {
        return variants.get(defaultVariant);
    }
}
