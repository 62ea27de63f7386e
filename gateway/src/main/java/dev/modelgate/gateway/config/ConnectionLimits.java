package dev.modelgate.gateway.config;

import java.time.Duration;

/**
 * What a client connection may cost the gateway, so that slow or idle clients cannot hold its
 * connections forever.
 *
 * @param idleTimeout        a connection with no bytes read or written for this long is closed
 * @param requestReadTimeout a request's header section and body must have arrived within this long of
 *                           its first byte; a connection that is still sending is closed
 * @param maxConnections     open client connections at most, over all listeners; one more is closed at once
 */
public record ConnectionLimits(Duration idleTimeout, Duration requestReadTimeout, int maxConnections) {

    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(Duration.ofSeconds(60), Duration.ofSeconds(30), 10_000);

    public ConnectionLimits {
        if (idleTimeout.isNegative() || idleTimeout.isZero() || requestReadTimeout.isNegative() || requestReadTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        }
    }
}
