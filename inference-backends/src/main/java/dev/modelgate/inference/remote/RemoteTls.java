package dev.modelgate.inference.remote;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway checks an {@code https} model server and proves itself to it, as PEM files.
 *
 * @param caFile   the CA that signed the server's certificate; empty trusts the JVM's CAs
 * @param certFile the gateway's client certificate, for a server that requires mutual TLS
 * @param keyFile  its private key; set exactly when {@code certFile} is
 */
public record RemoteTls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {

    public static final RemoteTls DEFAULTS = new RemoteTls(Optional.empty(), Optional.empty(), Optional.empty());

    public RemoteTls {
        Objects.requireNonNull(caFile, "caFile");
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
    }
}
