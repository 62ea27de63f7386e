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

    /**
     * True when a real model can answer: the default variant or one of the model's fallback variants is
     * ready. A variant whose remote server is down makes the model degraded, not unready: requests
     * assigned to it are served down its fallback chain.
     */
    public boolean isReady() {
        return defaultVariant().backend().isReady()
                || config.fallback().stream().anyMatch(name -> variants.get(name).backend().isReady());
    }

    /** The variants that cannot serve now, by name. */
    public List<String> unavailableVariants() {
        return variants.keySet().stream().sorted().filter(name -> !variants.get(name).backend().isReady()).toList();
    }

    /** The default variant if it is ready, else the first ready one by name. */
    /** The versions of its variants, sorted, each once: what the protocol's model metadata lists. */
    public List<String> versions() {
        return variants.values().stream().map(v -> v.config().version()).distinct().sorted().toList();
    }

    public Optional<Variant> readyVariant() {
        if (defaultVariant().backend().isReady()) {
            return Optional.of(defaultVariant());
        }
        return variants.keySet().stream().sorted().map(variants::get).filter(v -> v.backend().isReady()).findFirst();
    }
}
