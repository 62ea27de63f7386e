package dev.modelgate.inference;

import java.util.List;
import java.util.Objects;

/**
 * What a backend reports about the model it serves, read from the model itself (not from config):
 * the Open Inference Protocol's model metadata.
 *
 * @param name     the model's name as the backend knows it
 * @param version  the version string configured for the variant (may be empty)
 * @param platform e.g. {@code onnxruntime_onnx}, {@code xgboost}, {@code pytorch_torchscript}
 */
public record ModelMetadata(String name, String version, String platform, List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public ModelMetadata {
        Objects.requireNonNull(name, "name");
        version = version == null ? "" : version;
        Objects.requireNonNull(platform, "platform");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
