package dev.modelgate.inference.onnx;

import ai.djl.Device;
import ai.djl.engine.Engine;
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
import dev.modelgate.inference.djl.PredictorPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Serves an ONNX model in-process through DJL's ONNX Runtime engine. Engine calls run on a worker
 * pool of its own with one thread per instance, so a slow model never blocks an event loop and
 * never starves the other models' workers; each thread borrows one of as many DJL predictors.
 */
public final class OnnxRuntimeBackend implements InferenceBackend {

    private static final String ENGINE = "OnnxRuntime";

    private final OnnxRuntimeSettings settings;
    private final ModelMetadata metadata;
    private final RequestValidator validator;
    private final ZooModel<NDList, NDList> model;
    private final PredictorPool<NDList, NDList> predictors;
    private final WorkerExecutor workers;
    private final InFlightGate gate = new InFlightGate();
    private Future<Void> released;

    private OnnxRuntimeBackend(OnnxRuntimeSettings settings, ModelMetadata metadata, ZooModel<NDList, NDList> model,
                               WorkerExecutor workers) {
        this.settings = settings;
        this.metadata = metadata;
        this.validator = new RequestValidator(metadata);
        this.model = model;
        this.predictors = new PredictorPool<>(model, settings.instances());
        this.workers = workers;
    }

    /**
     * Loads, inspects and (if configured) warms up the model on the backend's own worker threads.
     * Fails with {@link InferenceException.Kind#BACKEND_FAILURE} naming the model and the cause.
     */
    public static Future<OnnxRuntimeBackend> load(Vertx vertx, OnnxRuntimeSettings settings) {
        // A unique name: shared executors with the same name share (and are sized by) one pool.
        WorkerExecutor workers = vertx.createSharedWorkerExecutor(
                "modelgate-onnx-" + settings.modelName() + "-" + UUID.randomUUID(), settings.instances());
        return workers.executeBlocking(() -> open(settings, workers), false)
                .recover(failure -> {
                    workers.close();
                    return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                            "model '" + settings.modelName() + "': cannot load " + settings.modelPath() + ": "
                                    + (failure.getMessage() != null ? failure.getMessage() : failure), failure));
                });
    }

    private static OnnxRuntimeBackend open(OnnxRuntimeSettings settings, WorkerExecutor workers) throws Exception {
        if (!Files.isRegularFile(settings.modelPath())) {
            throw new IllegalArgumentException("no such file");
        }
        // The engine first: DJL creates the process-wide OrtEnvironment with options of its own, and
        // fails if anything else (such as the inspector) has created it before.
        Engine engine = Engine.getEngine(ENGINE);
        Device device = settings.device().resolve(engine::getGpuCount);
        ModelMetadata metadata = OnnxModelInspector.inspect(settings.modelPath(), settings.modelName(), settings.version());
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(ENGINE)
                // directory + name rather than the file itself, which DJL loads too but warns about
                .optModelPath(settings.modelPath().toAbsolutePath().getParent())
                .optModelName(settings.modelFileStem())
                .optDevice(device)
                .optTranslator(new NoopTranslator())
                .optOption("intraOpNumThreads", Integer.toString(settings.intraOpThreads()))
                // one operator at a time; concurrency comes from instances
                .optOption("interOpNumThreads", "1")
                .build();
        ZooModel<NDList, NDList> model = criteria.loadModel();
        try {
            OnnxRuntimeBackend backend = new OnnxRuntimeBackend(settings, metadata, model, workers);
            if (settings.warmUp()) {
                backend.run(zeroRequest(metadata));
            }
            return backend;
        } catch (Exception | Error e) {
            model.close();
            throw e;
        }
    }

    /** One row of zeros for every input; every variable dimension becomes 1. */
    private static InferenceRequest zeroRequest(ModelMetadata metadata) {
        List<Tensor> inputs = new ArrayList<>();
        for (TensorSpec spec : metadata.inputs()) {
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

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
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

    /** Runs on a worker thread. Every NDArray of the call lives in a manager closed when it returns. */
    private InferenceResponse run(InferenceRequest request) {
        try (NDManager perRequest = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList(request.inputs().size());
            for (Tensor tensor : request.inputs()) {
                inputs.add(OrtTensors.toNDArray(perRequest, tensor));
            }
            NDList outputs = predictors.call(predictor -> predictor.predict(inputs));
            return new InferenceResponse(settings.modelName(), settings.version(), request.id(),
                    selectOutputs(request, outputs));
        } catch (Exception e) {
            throw new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + settings.modelName() + "': inference failed: " + e.getMessage(), e);
        }
    }

    /** The engine returns every output in the model's order; the caller may want a subset, in its own order. */
    private List<Tensor> selectOutputs(InferenceRequest request, NDList outputs) {
        List<TensorSpec> specs = metadata.outputs();
        List<String> wanted = request.requestedOutputs().isEmpty()
                ? specs.stream().map(TensorSpec::name).toList()
                : request.requestedOutputs();
        List<Tensor> selected = new ArrayList<>(wanted.size());
        for (String name : wanted) {
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i).name().equals(name)) {
                    selected.add(OrtTensors.toTensor(name, outputs.get(i)));
                }
            }
        }
        return selected;
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public boolean isReady() {
        return !gate.isClosed();
    }

    /** Same as {@link #closeAsync()}, without waiting. */
    @Override
    public void close() {
        closeAsync();
    }

    /**
     * Refuses new calls at once; releases the predictors, the model and the worker threads once the
     * calls in flight have completed. Idempotent.
     */
    public synchronized Future<Void> closeAsync() {
        if (released == null) {
            released = gate.close()
                    .compose(drained -> workers.executeBlocking(() -> {
                        predictors.close();
                        model.close();
                        return null;
                    }, false))
                    .eventually(workers::close)
                    .mapEmpty();
        }
        return released;
    }
}
