package dev.modelgate.inference.onnx;

import dev.modelgate.inference.djl.DeviceChoice;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to serve one ONNX model.
 *
 * @param modelName      the name the model is served under
 * @param version        the variant's version label (may be empty)
 * @param modelPath      the {@code .onnx} file
 * @param instances      concurrent inferences: one DJL predictor and one worker thread each
 * @param intraOpThreads ONNX Runtime threads per inference; 1 on small machines, where parallelism
 *                       comes from instances and batching instead (DESIGN.md §5)
 * @param device         where to run it
 * @param warmUp         run one zero-filled inference before reporting ready, so the first real
 *                       request does not pay ONNX Runtime's lazy allocations
 */
public record OnnxRuntimeSettings(String modelName, String version, Path modelPath, int instances, int intraOpThreads,
                                  DeviceChoice device, boolean warmUp) {

    private static final String ONNX_SUFFIX = ".onnx";

    public OnnxRuntimeSettings {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName must not be blank");
        }
        version = version == null ? "" : version;
        Objects.requireNonNull(modelPath, "modelPath");
        if (modelPath.getFileName() == null || !modelPath.getFileName().toString().endsWith(ONNX_SUFFIX)) {
            throw new IllegalArgumentException("modelPath must name a " + ONNX_SUFFIX + " file, got " + modelPath);
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1, got " + instances);
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
        Objects.requireNonNull(device, "device");
    }

    /** One instance, one intra-op thread, device {@code auto}, warm-up on. */
    public static OnnxRuntimeSettings of(String modelName, Path modelPath) {
        return new OnnxRuntimeSettings(modelName, "", modelPath, 1, 1, DeviceChoice.AUTO, true);
    }

    /** The model file's name without {@code .onnx}: what DJL calls the model name. */
    String modelFileStem() {
        String file = modelPath.getFileName().toString();
        return file.substring(0, file.length() - ONNX_SUFFIX.length());
    }

    public OnnxRuntimeSettings withInstances(int count) {
        return new OnnxRuntimeSettings(modelName, version, modelPath, count, intraOpThreads, device, warmUp);
    }
}
