package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.resilience.FallbackChain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model as callers address it, with its loaded variants and, for each variant that may be assigned,
 * the fallback chain that serves when it fails: the variant, then the model's {@code fallback} list,
 * then its static default response if it has one.
 */
public final class ServedModel {

    private final ModelConfig config;
    private final Map<String, Variant> variants;
    private final Map<String, FallbackChain> chains = new HashMap<>();

    public ServedModel(ModelConfig config, Map<String, Variant> variants, List<Tensor> staticDefault) {
        this.config = config;
        this.variants = Map.copyOf(variants);
        for (Variant first : variants.values()) {
            List<FallbackChain.Candidate> candidates = new ArrayList<>();
            candidates.add(new FallbackChain.Candidate(first.name(), first.backend()));
            for (String next : config.fallback()) {
                if (!next.equals(first.name())) {
                    candidates.add(new FallbackChain.Candidate(next, variants.get(next).backend()));
                }
            }
            chains.put(first.name(), new FallbackChain(candidates, staticDefault));
        }
    }

    public ModelConfig config() {
        return config;
    }

    public Map<String, Variant> variants() {
        return variants;
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

    /** The chain that starts with {@code first}. */
    public FallbackChain chainFrom(Variant first) {
        return chains.get(first.name());
    }

    public boolean isReady() {
        return variants.values().stream().allMatch(v -> v.backend().isReady());
    }
}
