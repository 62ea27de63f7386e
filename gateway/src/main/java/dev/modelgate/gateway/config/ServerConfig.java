package dev.modelgate.gateway.config;

import java.time.Duration;

/**
 * The HTTP listener.
 *
 * @param maxBodyBytes   larger request bodies are refused with 413
 * @param maxUploadBytes the same for reference uploads ({@code PUT /admin/models/{model}/reference}), which
 *                       are data sets rather than requests: a 5,000-row JSON reference is about 2 MB
 * @param requestTimeout the default deadline of one inference, overridable per model
 * @param adminToken     bearer token for {@code /admin}; empty disables the admin API
 * @param connections    timeouts and the cap on client connections, for both listeners
 * @param grpc           the gRPC listener
 */
public record ServerConfig(String host, int port, long maxBodyBytes, long maxUploadBytes, Duration requestTimeout,
                           String adminToken, ConnectionLimits connections, GrpcListener grpc) {

    /**
     * The Open Inference Protocol's gRPC service, on a listener of its own (HTTP/2 only, cleartext), so that
     * the HTTP port stays HTTP/1.1-only.
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

    /** A listener with the default connection limits. */
    public ServerConfig(String host, int port, long maxBodyBytes, long maxUploadBytes, Duration requestTimeout, String adminToken) {
        this(host, port, maxBodyBytes, maxUploadBytes, requestTimeout, adminToken, ConnectionLimits.DEFAULTS);
    }

    /** An HTTP listener only. */
    public ServerConfig(String host, int port, long maxBodyBytes, long maxUploadBytes, Duration requestTimeout, String adminToken,
                        ConnectionLimits connections) {
        this(host, port, maxBodyBytes, maxUploadBytes, requestTimeout, adminToken, connections, GrpcListener.OFF);
    }
}
