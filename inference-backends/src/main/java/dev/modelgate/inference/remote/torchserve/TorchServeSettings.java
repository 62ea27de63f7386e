package dev.modelgate.inference.remote.torchserve;

import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.remote.PathSegment;

import java.util.List;
import java.util.Objects;

/**
 * A model on TorchServe's inference API. TorchServe handlers take one JSON body and answer one JSON
 * value, so the model has exactly one input and one output, declared here (TorchServe has no
 * per-model tensor metadata to read).
 *
 * @param modelName the model's name on the server
 * @param version   the version to pin, or "" for the default
 * @param body      how the input tensor is wrapped in the request body
 * @param input     the input tensor the handler expects
 * @param output    the output tensor its answer is read as (shape from the answer's nesting)
 */
public record TorchServeSettings(String modelName, String version, Body body, TensorSpec input, TensorSpec output) {

    /** The request body's shape. */
    public enum Body {
        /** the input tensor itself as nested lists: {@code [[...], [...]]} */
        ROWS,
        /** {@code {"data": [[...], [...]]}}, what TorchServe's default handlers read */
        DATA
    }

    public TorchServeSettings {
        PathSegment.require("modelName", modelName);
        version = PathSegment.optional("version", version);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
    }

    /** {@code /predictions/{m}[/{v}]} */
    String predictionsPath() {
        return "/predictions/" + modelName + (version.isEmpty() ? "" : "/" + version);
    }

    ModelMetadata metadata() {
        return new ModelMetadata(modelName, version, "pytorch_torchserve", List.of(input), List.of(output));
    }
}
