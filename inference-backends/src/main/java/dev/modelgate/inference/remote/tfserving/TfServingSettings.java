package dev.modelgate.inference.remote.tfserving;

import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.remote.PathSegment;

import java.util.List;
import java.util.Objects;

/**
 * A model on TensorFlow Serving's REST API. Its inputs and outputs come from here, not from the
 * server: TF Serving's {@code /metadata} describes SignatureDefs in TensorFlow's own types, and the
 * gateway needs the output datatypes before the first answer anyway to read them into typed arrays.
 *
 * @param modelName     the model's name on the server
 * @param version       the version to pin, or "" for the server's latest
 * @param format        row ({@code instances}) or columnar ({@code inputs}) request format
 * @param signatureName the SignatureDef to call, or "" for {@code serving_default}
 * @param inputs        the signature's inputs (names, types, shapes with -1 for the batch dimension)
 * @param outputs       the signature's outputs; their datatypes decide how answers are read
 */
public record TfServingSettings(String modelName, String version, Format format, String signatureName,
                                List<TensorSpec> inputs, List<TensorSpec> outputs) {

    /** TF Serving's two request formats. */
    public enum Format {
        /** {@code {"instances": [row, ...]}}, answered with {@code {"predictions": [...]}} */
        ROW,
        /** {@code {"inputs": {name: tensor}}}, answered with {@code {"outputs": ...}} */
        COLUMNAR
    }

    public TfServingSettings {
        PathSegment.require("modelName", modelName);
        version = PathSegment.optional("version", version);
        Objects.requireNonNull(format, "format");
        signatureName = signatureName == null ? "" : signatureName;
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs must declare at least one tensor");
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("outputs must declare at least one tensor");
        }
    }

    /** {@code /v1/models/{m}[/versions/{v}]} */
    String modelPath() {
        return "/v1/models/" + modelName + (version.isEmpty() ? "" : "/versions/" + version);
    }

    ModelMetadata metadata() {
        return new ModelMetadata(modelName, version, "tensorflow_serving", inputs, outputs);
    }
}
