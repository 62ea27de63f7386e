package dev.modelgate.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * TLS on the gateway's listeners ({@code server.tls}), from PEM files that are re-read when they change.
 *
 * @param certFile       the server's certificate chain (leaf first)
 * @param keyFile        its private key (PKCS#8 or PKCS#1)
 * @param clientCaFile   the CA(s) that sign client certificates, for mutual TLS
 * @param clientAuth     whether a client certificate is not asked for, requested, or required
 * @param reloadInterval how often the files are checked for a change (modification time and content)
 */
public record ServerTlsConfig(Path certFile, Path keyFile, Optional<Path> clientCaFile, ClientAuthMode clientAuth,
                              Duration reloadInterval) {

    /** {@code server.tls.client_auth}. */
    public enum ClientAuthMode { NONE, REQUEST, REQUIRED }
}
