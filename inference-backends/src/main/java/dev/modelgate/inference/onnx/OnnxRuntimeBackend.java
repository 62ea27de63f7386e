package dev.modelgate.inference.onnx;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.djl.DjlBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/** Serves an ONNX model in-process through DJL's ONNX Runtime engine. */
public final class OnnxRuntimeBackend extends DjlBackend {

    private static final String ENGINE = "OnnxRuntime";

    private OnnxRuntimeBackend(OnnxRuntimeSettings settings, ModelMetadata metadata, ZooModel<NDList, NDList> model,
                               WorkerExecutor workers) {
        super(settings.common(), metadata, model, new OrtTensors(), workers);
    }

    /**
     * Loads, inspects and (if configured) warms up the model on the backend's own worker threads.
     * Fails with {@link dev.modelgate.inference.InferenceException.Kind#BACKEND_FAILURE} naming the model and the cause.
     */
    public static Future<OnnxRuntimeBackend> load(Vertx vertx, OnnxRuntimeSettings settings) {
        return load(vertx, "onnx", settings.common(), workers -> open(settings, workers));
    }

    private static OnnxRuntimeBackend open(OnnxRuntimeSettings settings, WorkerExecutor workers) throws Exception {
        // The engine first: DJL creates the process-wide OrtEnvironment with options of its own, and
        // fails if anything else (such as the inspector) has created it before.
        Engine engine = Engine.getEngine(ENGINE);
        Device device = settings.device().resolve(engine::getGpuCount);
        ModelMetadata metadata = OnnxModelInspector.inspect(settings.modelPath(), settings.modelName(), settings.version());
        Criteria<NDList, NDList> criteria = criteria(ENGINE, settings.modelPath(), settings.common().fileStem())
                .optDevice(device)
                .optOption("intraOpNumThreads", Integer.toString(settings.intraOpThreads()))
                // one operator at a time; concurrency comes from instances
                .optOption("interOpNumThreads", "1")
                .build();
        ZooModel<NDList, NDList> model = criteria.loadModel();
        try {
            return new OnnxRuntimeBackend(settings, metadata, model, workers);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }
}
