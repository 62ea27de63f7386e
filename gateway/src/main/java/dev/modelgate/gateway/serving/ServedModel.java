package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.config.ModelConfig;
import java.util.Map;
import java.util.Optional;

/** A model as callers address it, with its loaded variants. */
public record ServedModel(ModelConfig config, Map<String, Variant> variants) {

    public ServedModel {
        variants = Map.copyOf(variants);
    }

    public String name() {
        return config.name();
    }

    public Variant defaultVariant() {
        return variants.get(config.defaultVariant());
    }

    public Optional<Variant> variant(String name) {
        return Optional.ofNullable(variants.get(name));
    }

    public boolean isReady() {
        return variants.values().stream().allMatch(v -> v.backend().isReady());
    }
}
