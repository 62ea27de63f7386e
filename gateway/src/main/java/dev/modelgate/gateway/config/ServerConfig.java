package dev.modelgate.gateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP listener.
 *
 * @param maxBodyBytes   larger request bodies are refused with 413
 * @param maxUploadBytes the same for reference uploads ({@code PUT /admin/models/{model}/reference}), which
 *                       are data sets rather than requests: a 5,000-row JSON reference is about 2 MB
 * @param requestTimeout the default deadline of one inference, overridable per model
 * @param adminToken     bearer token for {@code /admin}; empty disables the admin API
 * @param connections    timeouts and the cap on client connections
 * @param tls            TLS (and mutual TLS) on the listener; empty serves plain HTTP
 */
public record ServerConfig(String host, int port, long maxBodyBytes, long maxUploadBytes, Duration requestTimeout,
                           String adminToken, ConnectionLimits connections, Optional<ServerTlsConfig> tls) {

    /** A plain-HTTP listener. */
    public ServerConfig(String host, int port, long maxBodyBytes, long maxUploadBytes, Duration requestTimeout, String adminToken,
                        ConnectionLimits connections) {
        this(host, port, maxBodyBytes, maxUploadBytes, requestTimeout, adminToken, connections, Optional.empty());
    }

    /** A plain-HTTP listener with the default connection limits. */
    public ServerConfig(String host, int port, long maxBodyBytes, long maxUploadBytes, Duration requestTimeout, String adminToken) {
        this(host, port, maxBodyBytes, maxUploadBytes, requestTimeout, adminToken, ConnectionLimits.DEFAULTS);
    }

    /** Never prints the admin token: configurations end up in logs and error reports. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes + ", maxUploadBytes="
                + maxUploadBytes + ", requestTimeout=" + requestTimeout + ", adminToken=" + (adminToken.isEmpty() ? "" : "***")
                + ", connections=" + connections + ", tls=" + tls + "]";
    }
}
