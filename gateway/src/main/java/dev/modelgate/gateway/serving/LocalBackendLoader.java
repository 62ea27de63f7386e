package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.config.OnnxBackendConfig;
import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.djl.DeviceChoice;
import dev.modelgate.inference.onnx.OnnxRuntimeBackend;
import dev.modelgate.inference.onnx.OnnxRuntimeSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Loads variants whose models run in this process through DJL. */
public final class LocalBackendLoader implements BackendLoader {

    private final Vertx vertx;

    public LocalBackendLoader(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Future<InferenceBackend> load(String modelName, VariantConfig variant) {
        OnnxBackendConfig onnx = (OnnxBackendConfig) variant.backend();
        OnnxRuntimeSettings settings = new OnnxRuntimeSettings(modelName, variant.version(), onnx.path(),
                onnx.instances(), onnx.intraOpThreads(), DeviceChoice.parse(onnx.device()), true);
        return OnnxRuntimeBackend.load(vertx, settings).map(backend -> backend);
    }
}
