package dev.modelgate.gateway.config;

/** How a variant's model is served. One record per backend type; {@code type:} in YAML selects it. */
public sealed interface BackendConfig permits OnnxBackendConfig {

    /** The YAML {@code type} value. */
    String type();
}
