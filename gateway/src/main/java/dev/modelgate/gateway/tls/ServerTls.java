package dev.modelgate.gateway.tls;

import dev.modelgate.gateway.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS settings every listener of the gateway shares (the HTTP listeners, and any other server that
 * takes a {@link ServerSSLOptions}), kept current with the PEM files: every {@code reload_interval_ms} a
 * timer looks at the files' modification times on a worker thread and, when one changed, compares their
 * contents' hash with what is served; new certificates are checked like at start-up and handed to every
 * registered server ({@code HttpServer::updateSSLOptions}), so new connections get them without a restart
 * while open connections keep theirs. Files that fail the check (a certificate written before its key)
 * leave the served ones in place and are tried again at the next tick.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final Vertx vertx;
    private final PemServerCredentials credentials;
    private final List<Function<ServerSSLOptions, Future<Boolean>>> servers = new CopyOnWriteArrayList<>();
    private volatile ServerSSLOptions current;
    /** Only the timer's blocking task (ordered, one at a time) touches these. */
    private List<Long> seenTimes;
    private String servedHash;
    private String refusedHash;
    private long timer = -1;

    private ServerTls(Vertx vertx, PemServerCredentials credentials, ServerSSLOptions current, List<Long> times, String hash) {
        this.vertx = vertx;
        this.credentials = credentials;
        this.current = current;
        this.seenTimes = times;
        this.servedHash = hash;
    }

    /** Reads and checks the files. Blocking. @throws ConfigException naming the file that is wrong */
    public static ServerTls load(Vertx vertx, PemServerCredentials credentials) {
        List<Long> times = modificationTimes(credentials);
        String hash = contentHash(credentials);
        return new ServerTls(vertx, credentials, credentials.load(), times, hash);
    }

    /** Turns TLS on in a listener's options with the current certificates. */
    public <T extends NetServerOptions> T apply(T options) {
        ServerSSLOptions ssl = current;
        options.setSsl(true)
                .setKeyCertOptions(ssl.getKeyCertOptions())
                .setClientAuth(ssl.getClientAuth());
        if (ssl.getTrustOptions() != null) {
            options.setTrustOptions(ssl.getTrustOptions());
        }
        return options;
    }

    /** The current settings, for a server built from {@link ServerSSLOptions} directly. */
    public ServerSSLOptions current() {
        return current;
    }

    /** {@code update} (e.g. {@code server::updateSSLOptions}) receives every new set of certificates until removed. */
    public void register(Function<ServerSSLOptions, Future<Boolean>> update) {
        servers.add(update);
    }

    public void unregister(Function<ServerSSLOptions, Future<Boolean>> update) {
        servers.remove(update);
    }

    /** Starts watching the files. */
    public void watch() {
        timer = vertx.setPeriodic(credentials.config().reloadInterval().toMillis(),
                tick -> vertx.executeBlocking(this::check).onFailure(e -> LOG.warn("TLS certificate check failed: {}", e.toString())));
    }

    private boolean check() {
        List<Long> times = modificationTimes(credentials);
        if (times.equals(seenTimes)) {
            return false;
        }
        String hash = contentHash(credentials);
        if (hash.equals(servedHash)) {
            seenTimes = times; // touched, not changed
            return false;
        }
        ServerSSLOptions next;
        try {
            next = credentials.load();
        } catch (ConfigException e) {
            if (!hash.equals(refusedHash)) {
                LOG.warn("TLS files changed but cannot be used yet, still serving the previous certificates: {}", e.getMessage());
                refusedHash = hash;
            }
            return false; // seenTimes unchanged: looked at again next tick (the key may still be on its way)
        }
        current = next;
        seenTimes = times;
        servedHash = hash;
        LOG.info("TLS certificates reloaded from {}", credentials.config().certFile());
        servers.forEach(update -> update.apply(next).onFailure(e -> LOG.warn("a listener refused the new TLS certificates: {}", e.toString())));
        return true;
    }

    private static List<Long> modificationTimes(PemServerCredentials credentials) {
        List<Long> times = new ArrayList<>();
        for (Path file : files(credentials)) {
            try {
                times.add(Files.getLastModifiedTime(file).toMillis());
            } catch (IOException e) {
                times.add(-1L); // being replaced: looked at again next tick
            }
        }
        return times;
    }

    private static String contentHash(PemServerCredentials credentials) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files(credentials)) {
                try {
                    digest.update(Files.readAllBytes(file));
                } catch (IOException e) {
                    digest.update(new byte[] {0}); // unreadable now: differs from any content, so it is checked again
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static List<Path> files(PemServerCredentials credentials) {
        List<Path> files = new ArrayList<>(List.of(credentials.config().certFile(), credentials.config().keyFile()));
        credentials.config().clientCaFile().ifPresent(files::add);
        return files;
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
