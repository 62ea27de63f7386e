package dev.modelgate.gateway.quality;

import dev.modelgate.gateway.config.QualitySpec;

/** One variant of a model that declares {@code quality:}. */
public record QualityTarget(String model, String variant, QualitySpec spec) {
}
