package dev.modelgate.gateway.config;

import java.time.Duration;

/**
 * The HTTP listener.
 *
 * @param maxBodyBytes   larger request bodies are refused with 413
 * @param requestTimeout the default deadline of one inference, overridable per model
 * @param adminToken     bearer token for {@code /admin}; empty disables the admin API
 */
public record ServerConfig(String host, int port, long maxBodyBytes, Duration requestTimeout, String adminToken) {}
