package dev.modelgate.inference.djl;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * What every in-process DJL engine shares: validation, a worker pool of its own with one thread per
 * instance (so a slow model never blocks an event loop nor starves other models' workers), as many
 * predictors, warm-up, and a close that lets in-flight calls finish. Engines differ only in how they
 * load a model and read its signature (their {@code load} factories) and in their {@link TensorCodec}.
 */
public abstract class DjlBackend implements InferenceBackend {

    /** Builds an engine's backend on a worker thread of {@code workers}; may block. */
    @FunctionalInterface
    protected interface Opener<B extends DjlBackend> {
        B open(WorkerExecutor workers) throws Exception;
    }

    private final DjlModelSettings settings;
    private final ModelMetadata metadata;
    private final RequestValidator validator;
    private final ZooModel<NDList, NDList> model;
    private final TensorCodec codec;
    private final PredictorPool<NDList, NDList> predictors;
    private final WorkerExecutor workers;
    private final InFlightGate gate = new InFlightGate();
    private Future<Void> released;

    protected DjlBackend(DjlModelSettings settings, ModelMetadata metadata, ZooModel<NDList, NDList> model,
                         TensorCodec codec, WorkerExecutor workers) {
        this.settings = settings;
        this.metadata = metadata;
        this.validator = new RequestValidator(metadata);
        this.model = model;
        this.codec = codec;
        this.predictors = new PredictorPool<>(model, settings.instances());
        this.workers = workers;
    }

    /**
     * Opens (and, if configured, warms up) a backend on its own worker threads. Fails with
     * {@link InferenceException.Kind#BACKEND_FAILURE} naming the model, the file and the cause.
     */
    protected static <B extends DjlBackend> Future<B> load(Vertx vertx, String engine, DjlModelSettings settings,
                                                           Opener<B> opener) {
        // A unique name: shared executors with the same name share (and are sized by) one pool.
        WorkerExecutor workers = vertx.createSharedWorkerExecutor(
                "modelgate-" + engine + "-" + settings.modelName() + "-" + UUID.randomUUID(), settings.instances());
        return workers.executeBlocking(() -> {
                    if (!Files.isRegularFile(settings.modelPath())) {
                        throw new IllegalArgumentException("no such file");
                    }
                    B backend = opener.open(workers);
                    DjlBackend opened = backend;
                    try {
                        if (settings.warmUp()) {
                            opened.warmUp();
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

    /**
     * The DJL criteria every engine here starts from: NDList in and out, no translator (the codec
     * converts tensors), the model given as its directory plus {@code fileName} rather than as the file,
     * which DJL loads too but warns about. Engines add their device and options.
     */
    protected static Criteria.Builder<NDList, NDList> criteria(String engine, Path modelFile, String fileName) {
        return Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(engine)
                .optModelPath(modelFile.toAbsolutePath().getParent())
                .optModelName(fileName)
                .optTranslator(new NoopTranslator());
    }

    /**
     * Runs one zero-filled row through a throw-away predictor and reads the result: how engines whose
     * files do not declare every output (XGBoost, TorchScript) learn their output signature.
     */
    protected static <R> R probe(ZooModel<NDList, NDList> model, TensorCodec codec, List<TensorSpec> inputs,
                                 Function<NDList, R> reader) throws Exception {
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor()) {
            return reader.apply(predictor.predict(encode(manager, codec, inputs, zeroRequest(inputs))));
        }
    }

    /** One row of zeros for every input; every variable dimension becomes 1. */
    private static InferenceRequest zeroRequest(List<TensorSpec> specs) {
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

    /** Inputs in the model's order, since some engines (TorchScript) bind them by position, not name. */
    private static NDList encode(NDManager manager, TensorCodec codec, List<TensorSpec> specs, InferenceRequest request) {
        NDList inputs = new NDList(specs.size());
        for (TensorSpec spec : specs) {
            Tensor tensor = request.input(spec.name()).orElseThrow();
            inputs.add(codec.toNDArray(manager, tensor));
        }
        return inputs;
    }

    /** Once per predictor: each one allocates lazily on its first call. */
    private void warmUp() throws Exception {
        InferenceRequest zeros = zeroRequest(metadata.inputs());
        predictors.forEach(predictor -> predict(predictor, zeros));
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

    /** Runs on a worker thread. */
    private InferenceResponse run(InferenceRequest request) {
        try {
            return predictors.call(predictor -> predict(predictor, request));
        } catch (Exception e) {
            throw new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + settings.modelName() + "': inference failed: " + e.getMessage(), e);
        }
    }

    /** Every NDArray of the call lives in a manager closed when it returns. */
    private InferenceResponse predict(Predictor<NDList, NDList> predictor, InferenceRequest request) throws Exception {
        try (NDManager perRequest = model.getNDManager().newSubManager()) {
            NDList outputs = predictor.predict(encode(perRequest, codec, metadata.inputs(), request));
            return new InferenceResponse(settings.modelName(), settings.version(), request.id(),
                    selectOutputs(request, outputs));
        }
    }

    /** The engine returns every output in the model's order; the caller may want a subset, in its own order. */
    private List<Tensor> selectOutputs(InferenceRequest request, NDList outputs) {
        List<TensorSpec> specs = metadata.outputs();
        if (outputs.size() != specs.size()) {
            throw new IllegalStateException("the model returned " + outputs.size() + " outputs, its metadata declares "
                    + specs.size());
        }
        List<String> wanted = request.requestedOutputs().isEmpty()
                ? specs.stream().map(TensorSpec::name).toList()
                : request.requestedOutputs();
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            positions.put(specs.get(i).name(), i);
        }
        List<Tensor> selected = new ArrayList<>(wanted.size());
        for (String name : wanted) {
            int position = positions.get(name);
            selected.add(codec.toTensor(specs.get(position), outputs.get(position)));
        }
        return selected;
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
     * Refuses new calls at once; releases the predictors, the model and the worker threads once the
     * calls in flight have completed. Idempotent.
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

    private void release() {
        predictors.close();
        model.close();
    }
}
