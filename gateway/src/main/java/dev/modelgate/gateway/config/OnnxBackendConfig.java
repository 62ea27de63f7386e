package dev.modelgate.gateway.config;

import java.nio.file.Path;

/**
 * A local ONNX model run by ONNX Runtime through DJL.
 *
 * @param path           the .onnx file, resolved against the config file's folder
 * @param instances      predictors run in parallel (CPU parallelism comes from instances, not threads)
 * @param intraOpThreads ONNX Runtime threads per instance
 * @param device         {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 */
public record OnnxBackendConfig(Path path, int instances, int intraOpThreads, String device) implements BackendConfig {

    public static final String TYPE = "onnx";

    @Override
    public String type() {
        return TYPE;
    }
}
