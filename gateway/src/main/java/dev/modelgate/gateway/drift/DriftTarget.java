package dev.modelgate.gateway.drift;

import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.serving.Variant;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model variant watched for drift, with the column names its predictions are logged under: the
 * names a reference must use.
 *
 * @param features input column names, as logged in {@code feature_names}
 * @param outputs output column names, as logged in {@code output_names}
 */
public record DriftTarget(String model, String variant, List<String> features, List<String> outputs) {

    public DriftTarget {
        features = List.copyOf(features);
        outputs = List.copyOf(outputs);
    }

    /**
     * The logged names follow the telemetry's rule ({@link FeatureColumns}, built from the same
     * {@code max_name_bytes}): a tensor of shape [rows, k] is logged as its configured
     * {@code feature_names} when there are k of them, as the tensor name when k = 1, and as
     * {@code name[c]} otherwise. BYTES tensors are not logged.
     */
    public static DriftTarget of(ServedModel model, Variant variant, FeatureColumns naming) {
        var metadata = variant.backend().metadata();
        return new DriftTarget(model.name(), variant.name(),
                columns(metadata.inputs(), variant.config().featureNames(), naming),
                columns(metadata.outputs(), Map.of(), naming));
    }

    public List<String> columns() {
        List<String> all = new ArrayList<>(features);
        all.addAll(outputs);
        return all;
    }

    private static List<String> columns(List<TensorSpec> tensors, Map<String, List<String>> configured,
                                        FeatureColumns naming) {
        List<String> names = new ArrayList<>();
        for (TensorSpec tensor : tensors) {
            if (tensor.datatype() != DataType.BYTES) {
                names.addAll(naming.of(tensor.name(), tensor.shape(), configured).names());
            }
        }
        return names;
    }
}
