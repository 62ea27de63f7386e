package dev.modelgate.inference.onnx;

import dev.modelgate.inference.djl.DeviceChoice;
import dev.modelgate.inference.djl.DjlModelSettings;

import java.nio.file.Path;

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
        // the fields every engine shares are validated in one place
        new DjlModelSettings(modelName, version, modelPath, instances, device, warmUp).requireSuffix(ONNX_SUFFIX);
        version = version == null ? "" : version;
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
    }

    /** One instance, one intra-op thread, device {@code auto}, warm-up on. */
    public static OnnxRuntimeSettings of(String modelName, Path modelPath) {
        return new OnnxRuntimeSettings(modelName, "", modelPath, 1, 1, DeviceChoice.AUTO, true);
    }

    /** The settings every DJL engine shares. */
    public DjlModelSettings common() {
        return new DjlModelSettings(modelName, version, modelPath, instances, device, warmUp);
    }

    public OnnxRuntimeSettings withInstances(int count) {
        return new OnnxRuntimeSettings(modelName, version, modelPath, count, intraOpThreads, device, warmUp);
    }
}
