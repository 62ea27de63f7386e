package dev.modelgate.gateway.config;

import java.time.Duration;

/**
 * The HTTP listener.
 *
 * @param maxBodyBytes   larger request bodies are refused with 413
 * @param requestTimeout the default deadline of one inference, overridable per model
 * @param adminToken     bearer token for {@code /admin}; empty disables the admin API
 * @param connections    timeouts and the cap on client connections
 */
public record ServerConfig(String host, int port, long maxBodyBytes, Duration requestTimeout, String adminToken,
                           ConnectionLimits connections) {

    /** A listener with the default connection limits. */
    public ServerConfig(String host, int port, long maxBodyBytes, Duration requestTimeout, String adminToken) {
        this(host, port, maxBodyBytes, requestTimeout, adminToken, ConnectionLimits.DEFAULTS);
    }
}
