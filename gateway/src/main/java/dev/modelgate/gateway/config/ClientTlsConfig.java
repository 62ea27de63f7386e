package dev.modelgate.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the gateway authenticates a dependency it calls over TLS (ClickHouse, Redis, a remote model server):
 * the CA that signed the server's certificate, when it is not one of the JVM's trusted ones, and the
 * gateway's own certificate and key for servers that require mutual TLS.
 */
public record ClientTlsConfig(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {

    public static final ClientTlsConfig DEFAULTS = new ClientTlsConfig(Optional.empty(), Optional.empty(), Optional.empty());

    public boolean presentsCertificate() {
        return certFile.isPresent();
    }
}
