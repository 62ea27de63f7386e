package dev.modelgate.gateway.config;

/**
 * How a variant's model is served: in this process through a DJL engine, or by a remote inference
 * server. One record per kind; {@code type:} in YAML selects it.
 */
public sealed interface BackendConfig permits OnnxBackendConfig, XgboostBackendConfig, PyTorchBackendConfig, RemoteBackendConfig {

    /** The YAML {@code type} value. */
    String type();
}
