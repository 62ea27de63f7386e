package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.inference.InferenceBackend;

/** A variant ready to serve: its configuration and the loaded backend behind it. */
public record Variant(VariantConfig config, InferenceBackend backend) {

    public String name() {
        return config.name();
    }
}
