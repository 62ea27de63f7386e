package dev.modelgate.inference.remote;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a remote model server listens and how the gateway's connections to it behave. Each backend's
 * HTTP clients and their keep-alive pools are created from this.
 *
 * @param baseUri        {@code http(s)://host:port[/prefix]}; protocol paths are appended to it
 * @param maxPoolSize    keep-alive connections kept open to the server at most, in all (split between the event
 *                       loops that call it, see {@link EventLoopClients})
 * @param connectTimeout how long to wait for a TCP (and TLS) connection
 * @param requestTimeout how long the server may stay silent once the request is sent (Vert.x's idle
 *                       timeout); exceeding it fails the call with {@code TIMEOUT}. The whole call's
 *                       budget, retries included, is the resilience policy's timeout.
 * @param tls            for an {@code https} base URI: the CA to trust and the client certificate to present
 */
public record RemoteEndpoint(URI baseUri, int maxPoolSize, Duration connectTimeout, Duration requestTimeout, RemoteTls tls) {

    public static final int DEFAULT_MAX_POOL_SIZE = 32;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public RemoteEndpoint {
        Objects.requireNonNull(baseUri, "baseUri");
        if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme())) {
            throw new IllegalArgumentException("baseUri must be an http or https URI, got " + baseUri);
        }
        if (baseUri.getHost() == null) {
            throw new IllegalArgumentException("baseUri must name a host, got " + baseUri);
        }
        if (baseUri.getQuery() != null || baseUri.getFragment() != null) {
            throw new IllegalArgumentException("baseUri must not have a query or fragment, got " + baseUri);
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be >= 1, got " + maxPoolSize);
        }
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("requestTimeout", requestTimeout);
        Objects.requireNonNull(tls, "tls");
    }

    /** An endpoint whose {@code https} certificates are checked against the JVM's trusted CAs. */
    public RemoteEndpoint(URI baseUri, int maxPoolSize, Duration connectTimeout, Duration requestTimeout) {
        this(baseUri, maxPoolSize, connectTimeout, requestTimeout, RemoteTls.DEFAULTS);
    }

    /** The server at {@code baseUri} with the default pool size and timeouts. */
    public static RemoteEndpoint of(String baseUri) {
        return new RemoteEndpoint(URI.create(baseUri), DEFAULT_MAX_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT);
    }

    public RemoteEndpoint withRequestTimeout(Duration timeout) {
        return new RemoteEndpoint(baseUri, maxPoolSize, connectTimeout, timeout, tls);
    }

    public RemoteEndpoint withMaxPoolSize(int size) {
        return new RemoteEndpoint(baseUri, size, connectTimeout, requestTimeout, tls);
    }

    public boolean isTls() {
        return "https".equals(baseUri.getScheme());
    }

    public int port() {
        return baseUri.getPort() >= 0 ? baseUri.getPort() : isTls() ? 443 : 80;
    }

    /** The base path without a trailing slash ("" for none), prepended to every protocol path. */
    String pathPrefix() {
        String path = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static void requirePositive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
