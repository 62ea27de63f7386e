package dev.modelgate.gateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The listeners: HTTP, and gRPC when it is on.
 *
 * @param maxBodyBytes   larger request bodies are refused with 413
 * @param maxUploadBytes the same for reference uploads ({@code PUT /admin/models/{model}/reference}), which
 *                       are data sets rather than requests: a 5,000-row JSON reference is about 2 MB
 * @param requestTimeout the default deadline of one inference, overridable per model
 * @param adminToken     bearer token for {@code /admin}; empty disables the admin API
 * @param connections    timeouts and the cap on client connections, for both listeners
 * @param grpc           the gRPC listener
 * @param tls            TLS (and mutual TLS) on both listeners; empty serves plain HTTP and cleartext HTTP/2
 */
public record ServerConfig(String host, int port, long maxBodyBytes, long maxUploadBytes, Duration requestTimeout,
                           String adminToken, ConnectionLimits connections, GrpcListener grpc, Optional<ServerTlsConfig> tls) {

    /**
     * The Open Inference Protocol's gRPC service, on a listener of its own (HTTP/2 only), so that the HTTP
     * port stays HTTP/1.1-only.
     *
     * @param port            -1 when gRPC is off (the default)
     * @param maxMessageBytes larger request messages are refused with RESOURCE_EXHAUSTED
     */
    public record GrpcListener(int port, long maxMessageBytes) {

        public static final GrpcListener OFF = new GrpcListener(-1, 4L << 20);

        public boolean enabled() {
            return port >= 0;
        }
    }

    /** A plain-HTTP listener with the default connection limits. */
    public ServerConfig(String host, int port, long maxBodyBytes, long maxUploadBytes, Duration requestTimeout, String adminToken) {
        this(host, port, maxBodyBytes, maxUploadBytes, requestTimeout, adminToken, ConnectionLimits.DEFAULTS);
    }

    /** A plain-HTTP listener only. */
    public ServerConfig(String host, int port, long maxBodyBytes, long maxUploadBytes, Duration requestTimeout, String adminToken,
                        ConnectionLimits connections) {
        this(host, port, maxBodyBytes, maxUploadBytes, requestTimeout, adminToken, connections, GrpcListener.OFF, Optional.empty());
    }

    /** Never prints the admin token: configurations end up in logs and error reports. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes + ", maxUploadBytes="
                + maxUploadBytes + ", requestTimeout=" + requestTimeout + ", adminToken=" + (adminToken.isEmpty() ? "" : "***")
                + ", connections=" + connections + ", grpc=" + grpc + ", tls=" + tls + "]";
    }
}
