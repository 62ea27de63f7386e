package dev.modelgate.inference.djl;

import dev.modelgate.inference.InFlightGate;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.RequestValidator;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What every model run in this process shares, whatever runs it: validation, a worker pool of its own
 * with one thread per instance (so a slow model never blocks an event loop nor starves other models'
 * workers), warm-up, and a close that lets in-flight calls finish. Subclasses say how one request is
 * run on a worker thread, how to warm up, and what to release.
 */
public abstract class WorkerPoolBackend implements InferenceBackend {

    /** Builds an engine's backend on a worker thread of {@code workers}; may block. */
    @FunctionalInterface
    protected interface Opener<B extends WorkerPoolBackend> {
        B open(WorkerExecutor workers) throws Exception;
    }

    private final DjlModelSettings settings;
    private final ModelMetadata metadata;
    private final RequestValidator validator;
    private final WorkerExecutor workers;
    private final InFlightGate gate = new InFlightGate();
    private Future<Void> released;

    protected WorkerPoolBackend(DjlModelSettings settings, ModelMetadata metadata, WorkerExecutor workers) {
        this.settings = settings;
        this.metadata = metadata;
        this.validator = new RequestValidator(metadata);
        this.workers = workers;
    }

    /**
     * Opens (and, if configured, warms up) a backend on its own worker threads. Fails with
     * {@link InferenceException.Kind#BACKEND_FAILURE} naming the model, the file and the cause.
     */
    protected static <B extends WorkerPoolBackend> Future<B> load(Vertx vertx, String engine, DjlModelSettings settings,
                                                                  Opener<B> opener) {
        // A unique name: shared executors with the same name share (and are sized by) one pool.
        WorkerExecutor workers = vertx.createSharedWorkerExecutor(
                "modelgate-" + engine + "-" + settings.modelName() + "-" + UUID.randomUUID(), settings.instances());
        return workers.executeBlocking(() -> {
                    if (!Files.isRegularFile(settings.modelPath())) {
                        throw new IllegalArgumentException("no such file");
                    }
                    B backend = opener.open(workers);
                    WorkerPoolBackend opened = backend;
                    try {
                        if (settings.warmUp()) {
                            opened.warmUp(zeroRequest(opened.metadata.inputs()));
                        }
                        return backend;
                    } catch (Exception | Error e) {
                        opened.release();
                        throw e;
                    }
                }, false)
                .recover(failure -> {
                    workers.close();
                    return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                            "model '" + settings.modelName() + "': cannot load " + settings.modelPath() + ": "
                                    + (failure.getMessage() != null ? failure.getMessage() : failure), failure));
                });
    }

    /** One row of zeros for every input; every variable dimension becomes 1. */
    protected static InferenceRequest zeroRequest(List<TensorSpec> specs) {
        List<Tensor> inputs = new ArrayList<>();
        for (TensorSpec spec : specs) {
            long[] shape = spec.shape().clone();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.max(shape[i], 1);
            }
            int size = Math.toIntExact(Tensor.elementCount(shape));
            inputs.add(new Tensor(spec.name(), spec.datatype(), shape,
                    Array.newInstance(spec.datatype().storage().getComponentType(), size)));
        }
        return new InferenceRequest("warm-up", inputs, List.of());
    }

    /** Runs {@code zeros} before the backend reports ready, on a worker thread, so engines allocate what they allocate lazily. */
    protected abstract void warmUp(InferenceRequest zeros) throws Exception;

    /** Runs one validated request on a worker thread. */
    protected abstract InferenceResponse predict(InferenceRequest request) throws Exception;

    /** Releases the engine's resources, on a worker thread, once no call is in flight. */
    protected abstract void release();

    protected final DjlModelSettings settings() {
        return settings;
    }

    @Override
    public final Future<InferenceResponse> infer(InferenceRequest request) {
        try {
            validator.validate(request);
        } catch (InferenceException invalid) {
            return Future.failedFuture(invalid);
        }
        if (!gate.tryEnter()) {
            return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + settings.modelName() + "' is closed"));
        }
        return workers.executeBlocking(() -> run(request), false)
                .andThen(done -> gate.leave());
    }

    private InferenceResponse run(InferenceRequest request) {
        try {
            return predict(request);
        } catch (Exception e) {
            throw new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + settings.modelName() + "': inference failed: " + e.getMessage(), e);
        }
    }

    /** The outputs a request asked for, in its order; every output, in the model's order, when it named none. */
    protected final List<String> wantedOutputs(InferenceRequest request) {
        return request.requestedOutputs().isEmpty()
                ? metadata.outputs().stream().map(TensorSpec::name).toList()
                : request.requestedOutputs();
    }

    @Override
    public final ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public final boolean isReady() {
        return !gate.isClosed();
    }

    /** Same as {@link #closeAsync()}, without waiting. */
    @Override
    public final void close() {
        closeAsync();
    }

    /**
     * Refuses new calls at once; releases the engine and the worker threads once the calls in flight
     * have completed. Idempotent.
     */
    public final synchronized Future<Void> closeAsync() {
        if (released == null) {
            released = gate.close()
                    .compose(drained -> workers.executeBlocking(() -> {
                        release();
                        return null;
                    }, false))
                    .eventually(workers::close)
                    .mapEmpty();
        }
        return released;
    }
}
