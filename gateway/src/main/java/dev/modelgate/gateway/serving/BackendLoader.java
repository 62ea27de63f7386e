package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.inference.InferenceBackend;
import io.vertx.core.Future;

/** Turns a variant's backend configuration into a loaded, warmed-up backend. */
@FunctionalInterface
public interface BackendLoader {

    Future<InferenceBackend> load(String modelName, VariantConfig variant);
}
