package dev.modelgate.inference.remote;

import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote model whose server may be down or slow when the gateway starts, or not ready yet. The
 * first connection attempt is waited for; if it fails, the backend exists anyway, not ready, failing
 * calls at once, and keeps trying in the background (with {@link Backoff}) until the server gives its
 * metadata and says it is ready. A peer that is down therefore costs one variant, never the gateway.
 */
public final class ReconnectingBackend implements InferenceBackend {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingBackend.class);

    /** Waits between attempts: {@code initial}, doubling up to {@code max}. */
    public record Backoff(Duration initial, Duration max) {

        public Backoff {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
            }
        }

        long next(long previousMillis) {
            return previousMillis <= 0 ? initial.toMillis() : Math.min(max.toMillis(), previousMillis * 2);
        }
    }

    private final Vertx vertx;
    private final String name;
    private final ModelMetadata unknown;
    private final Backoff backoff;
    private final Supplier<Future<? extends RemoteModel>> connect;
    private volatile RemoteModel current;
    private volatile String unavailable = "not connected yet";
    private volatile boolean closed;
    /** Touched only by the attempts, which run one after the other. */
    private long delayMillis;
    private int failedAttempts;
    private volatile long timer = -1;

    private ReconnectingBackend(Vertx vertx, String name, ModelMetadata unknown, Backoff backoff,
                                Supplier<Future<? extends RemoteModel>> connect) {
        this.vertx = vertx;
        this.name = name;
        this.unknown = unknown;
        this.backoff = backoff;
        this.connect = connect;
    }

    /**
     * Makes the first attempt and completes once it is over, whatever its outcome: the returned backend
     * is ready when the server answered and said so.
     *
     * @param name    how logs and errors name this backend, e.g. {@code model/variant}
     * @param unknown the metadata reported until the server has given its own
     */
    public static Future<ReconnectingBackend> open(Vertx vertx, String name, ModelMetadata unknown, Backoff backoff,
                                                   Supplier<Future<? extends RemoteModel>> connect) {
        ReconnectingBackend backend = new ReconnectingBackend(vertx, Objects.requireNonNull(name), unknown, backoff, connect);
        return backend.attempt().map(backend);
    }

    /** One try: connect if not connected, else ask whether the server is ready; schedules the next while not ready. */
    private Future<Void> attempt() {
        RemoteModel connected = current;
        Future<?> tried = connected == null
                ? connect.get().andThen(outcome -> {
                    if (outcome.succeeded()) {
                        adopt(outcome.result());
                    } else {
                        failed(String.valueOf(outcome.cause().getMessage()));
                    }
                })
                : connected.refreshReadiness();
        return tried.transform(done -> {
            if (!closed) {
                settleOrRetry();
            }
            return Future.<Void>succeededFuture();
        });
    }

    private void settleOrRetry() {
        if (isReady()) {
            if (failedAttempts > 0 || delayMillis > 0) {
                LOG.info("{}: backend available and ready", name);
            }
            delayMillis = 0;
            failedAttempts = 0;
            return;
        }
        if (current != null) {
            unavailable = "the server says the model is not ready";
        }
        delayMillis = backoff.next(delayMillis);
        timer = vertx.setTimer(delayMillis, fired -> {
            if (!closed) {
                attempt();
            }
        });
    }

    private void adopt(RemoteModel connected) {
        if (closed) {
            connected.close();
            return;
        }
        current = connected;
    }

    /** Logged once, and again only when the reason changes: a server down for hours must not flood the log. */
    private void failed(String reason) {
        failedAttempts++;
        if (!reason.equals(unavailable)) {
            LOG.warn("{}: backend not available, retrying in the background (attempt {}): {}", name, failedAttempts, reason);
        }
        unavailable = reason;
    }

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        RemoteModel connected = current;
        if (connected == null || closed) {
            return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    name + " is not available: " + unavailable));
        }
        return connected.infer(request);
    }

    /** The server's metadata once it has given it; until then {@code unknown} (no inputs or outputs). */
    @Override
    public ModelMetadata metadata() {
        RemoteModel connected = current;
        return connected == null ? unknown : connected.metadata();
    }

    @Override
    public boolean isReady() {
        RemoteModel connected = current;
        return !closed && connected != null && connected.isReady();
    }

    @Override
    public void close() {
        closed = true;
        vertx.cancelTimer(timer);
        RemoteModel connected = current;
        if (connected != null) {
            connected.close();
        }
    }
}
