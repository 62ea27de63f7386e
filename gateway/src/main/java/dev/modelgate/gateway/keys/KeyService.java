package dev.modelgate.gateway.keys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys at run time: the store (memory or Redis) plus the keys declared in the configuration, read
 * into the {@link KeyRing} the request path verifies against. The store is re-read every
 * {@code resync} (a key created or revoked on another replica takes effect here within that), on one
 * worker thread; while it cannot be read the ring keeps the keys it had.
 */
public final class KeyService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyService.class);

    private final KeyStore store;
    private final List<ApiKey> declared;
    private final KeySecrets secrets;
    private final Clock clock;
    private final KeyRing ring = new KeyRing();
    private final WorkerExecutor worker;
    private final Vertx vertx;
    private final long timer;
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    private KeyService(Vertx vertx, KeyStore store, List<ApiKey> declared, Duration resync, KeySecrets secrets, Clock clock) {
        this.vertx = vertx;
        this.store = store;
        this.declared = List.copyOf(declared);
        this.secrets = secrets;
        this.clock = clock;
        this.worker = vertx.createSharedWorkerExecutor("modelgate-keys-" + System.identityHashCode(this), 1);
        ring.replaceAll(this.declared);
        this.timer = vertx.setPeriodic(resync.toMillis(), id -> refresh());
    }

    /** Reads the store once before the listeners open; a store that cannot be read is retried by the timer. */
    public static Future<KeyService> start(Vertx vertx, KeyStore store, List<ApiKey> declared, Duration resync,
                                           KeySecrets secrets, Clock clock) {
        KeyService service = new KeyService(vertx, store, declared, resync, secrets, clock);
        return service.refresh().map(service);
    }

    public KeyRing ring() {
        return ring;
    }

    /** Completes when the ring holds what the store held (or, when the store is unreachable, what it had). */
    public Future<Void> refresh() {
        return worker.<List<ApiKey>>executeBlocking(store::all, false)
                .onSuccess(keys -> {
                    List<ApiKey> merged = new ArrayList<>(declared);
                    keys.stream().filter(key -> declared.stream().noneMatch(d -> d.name().equals(key.name()))).forEach(merged::add);
                    ring.replaceAll(merged);
                    if (reachable.compareAndSet(false, true)) {
                        LOG.info("API key store reachable again: {} keys", merged.size());
                    }
                })
                .recover(e -> {
                    if (reachable.compareAndSet(true, false)) {
                        LOG.warn("API key store unreachable ({}): verifying against the {} keys already known", e.getMessage(),
                                ring.all().size());
                    }
                    return Future.succeededFuture();
                })
                .mapEmpty();
    }

    /** The new key and its secret (to show once), or empty when a key of that name exists. */
    public record Created(ApiKey key, String secret) {}

    public Future<Optional<Created>> create(NewKey request) {
        if (ring.byName(request.name()).isPresent() || declared(request.name())) {
            return Future.succeededFuture(Optional.empty());
        }
        KeySecrets.Issued issued = secrets.issue();
        ApiKey key = new ApiKey(request.name(), request.owner(), issued.keyId(), issued.salt(), issued.hash(), request.models(),
                request.expiresAt(), request.role(), request.limits(), clock.instant());
        return worker.executeBlocking(() -> store.create(key), false)
                .compose(added -> refresh().map(added ? Optional.of(new Created(key, issued.secret())) : Optional.<Created>empty()));
    }

    /** Whether the key was in the store; keys declared in the configuration are not. */
    public Future<Boolean> revoke(String name) {
        return worker.executeBlocking(() -> store.revoke(name), false).compose(removed -> refresh().map(removed));
    }

    public boolean declared(String name) {
        return declared.stream().anyMatch(key -> key.name().equals(name));
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        worker.close();
        store.close();
    }
}
