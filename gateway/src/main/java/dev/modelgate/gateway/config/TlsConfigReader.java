package dev.modelgate.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code tls:} sections: {@code server.tls} (the listeners) and the client side used towards
 * ClickHouse, Redis and remote model servers. Only checks here that the files exist and can be read; what
 * they hold is checked when the TLS options are built from them, still before the gateway listens.
 */
final class TlsConfigReader {

    private TlsConfigReader() {}

    static Optional<ServerTlsConfig> server(ConfigNode server, Path baseDir) {
        if (!server.has("tls")) {
            return Optional.empty();
        }
        ConfigNode node = server.object("tls");
        node.rejectUnknownKeys(Set.of("cert_file", "key_file", "client_ca_file", "client_auth", "reload_interval_ms"));
        Path cert = file(node, "cert_file", baseDir).orElseThrow(() -> ConfigNode.error(node.childPath("cert_file"), "is required"));
        Path key = file(node, "key_file", baseDir).orElseThrow(() -> ConfigNode.error(node.childPath("key_file"), "is required"));
        Optional<Path> clientCa = file(node, "client_ca_file", baseDir);
        String mode = node.string("client_auth", clientCa.isPresent() ? "required" : "none");
        ServerTlsConfig.ClientAuthMode clientAuth = switch (mode) {
            case "none", "request", "required" -> ServerTlsConfig.ClientAuthMode.valueOf(mode.toUpperCase(Locale.ROOT));
            default -> throw ConfigNode.error(node.childPath("client_auth"), "must be none, request or required, got '" + mode + "'");
        };
        if (clientAuth != ServerTlsConfig.ClientAuthMode.NONE && clientCa.isEmpty()) {
            throw ConfigNode.error(node.childPath("client_ca_file"), "is required when client_auth is " + mode
                    + ": it names the CA that signs client certificates");
        }
        Duration reload = node.millis("reload_interval_ms", Duration.ofSeconds(5), 100, 3_600_000);
        return Optional.of(new ServerTlsConfig(cert, key, clientCa, clientAuth, reload));
    }

    /**
     * {@code tls: {ca_file, cert_file, key_file}} under {@code parent} (absent = the JVM's trusted CAs, no
     * client certificate); allowed only when {@code url} is a TLS one, so that a forgotten {@code https}
     * is not mistaken for an encrypted connection.
     */
    static ClientTlsConfig client(ConfigNode parent, Path baseDir, boolean tlsUrl, String urlKey) {
        if (!parent.has("tls")) {
            return ClientTlsConfig.DEFAULTS;
        }
        ConfigNode node = parent.object("tls");
        if (!tlsUrl) {
            throw ConfigNode.error(node.path(), "is set but " + parent.childPath(urlKey) + " does not use TLS (https://, rediss:// or rediss-sentinel://)");
        }
        node.rejectUnknownKeys(Set.of("ca_file", "cert_file", "key_file"));
        Optional<Path> cert = file(node, "cert_file", baseDir);
        Optional<Path> key = file(node, "key_file", baseDir);
        if (cert.isPresent() != key.isPresent()) {
            throw ConfigNode.error(node.childPath(cert.isPresent() ? "key_file" : "cert_file"),
                    "is required with " + (cert.isPresent() ? "cert_file" : "key_file") + ": a client certificate needs its key");
        }
        return new ClientTlsConfig(file(node, "ca_file", baseDir), cert, key);
    }

    private static Optional<Path> file(ConfigNode node, String key, Path baseDir) {
        String value = node.string(key, "");
        if (value.isBlank()) {
            return Optional.empty();
        }
        Path path = baseDir.resolve(value).normalize();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw ConfigNode.error(node.childPath(key), "cannot read " + path + (Files.exists(path) ? "" : ": no such file"));
        }
        return Optional.of(path);
    }
}
