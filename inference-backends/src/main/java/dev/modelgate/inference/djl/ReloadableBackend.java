package dev.modelgate.inference.djl;

import dev.modelgate.inference.InFlightGate;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import io.vertx.core.Future;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Hot reload of a variant's model: {@link #reload()} loads a fresh backend with the same loader (so
 * the file is read again), swaps it in atomically, and closes the old one only after the calls it
 * had accepted have finished. No request fails because of a reload; a reload that fails to load
 * leaves the old model serving. The gateway calls {@code reload()} from an admin endpoint or a file
 * watcher. It composes with {@code BatchingBackend} in either order, since both close what they
 * wrap only after it has answered every accepted call.
 */
public final class ReloadableBackend implements InferenceBackend {

    /** One loaded model and the calls it has accepted. */
    private record Generation(InferenceBackend backend, InFlightGate calls) {
        Generation(InferenceBackend backend) {
            this(backend, new InFlightGate());
        }

        void retire() {
            calls.close().onComplete(drained -> backend.close());
        }
    }

    private final Supplier<Future<? extends InferenceBackend>> loader;
    private volatile Generation current;
    // guarded by this
    private Future<Void> reloads = Future.succeededFuture();
    private boolean closed;

    private ReloadableBackend(Supplier<Future<? extends InferenceBackend>> loader, InferenceBackend first) {
        this.loader = loader;
        this.current = new Generation(first);
    }

    /** Loads the first generation with {@code loader}, which {@link #reload()} calls again. */
    public static Future<ReloadableBackend> load(Supplier<Future<? extends InferenceBackend>> loader) {
        Objects.requireNonNull(loader, "loader");
        return loader.get().map(first -> new ReloadableBackend(loader, first));
    }

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        while (true) {
            Generation generation = current;
            if (generation.calls().tryEnter()) {
                return generation.backend().infer(request).andThen(done -> generation.calls().leave());
            }
            if (generation == current) {
                return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                        "model '" + generation.backend().metadata().name() + "' is closed"));
            }
            // swapped between the read and tryEnter: the new generation takes the call
        }
    }

    /**
     * Loads the model again and swaps it in. Reloads run one after another; the future completes
     * once the new model serves, or fails with the load's error while the old one keeps serving.
     */
    public synchronized Future<Void> reload() {
        reloads = reloads.transform(previous -> loadAndSwap());
        return reloads;
    }

    private Future<Void> loadAndSwap() {
        return loader.get().compose(next -> {
            Generation old;
            synchronized (this) {
                if (closed) {
                    next.close();
                    return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                            "model '" + next.metadata().name() + "' was closed during the reload"));
                }
                old = current;
                current = new Generation(next);
            }
            old.retire();
            return Future.succeededFuture();
        });
    }

    @Override
    public ModelMetadata metadata() {
        return current.backend().metadata();
    }

    @Override
    public boolean isReady() {
        Generation generation = current;
        return !generation.calls().isClosed() && generation.backend().isReady();
    }

    /** Refuses new calls; closes the model once the accepted ones have finished. */
    @Override
    public void close() {
        Generation last;
        synchronized (this) {
            closed = true;
            last = current;
        }
        last.retire();
    }
}
