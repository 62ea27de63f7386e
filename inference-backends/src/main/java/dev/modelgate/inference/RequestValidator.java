package dev.modelgate.inference;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a request against what the model declares before any engine sees it, so a bad request is
 * answered with a precise 400 instead of an engine error (or, worse, a silently wrapped integer).
 * Every message starts with the offending input or output, e.g. {@code input 'features': expected FP32, got FP64}.
 * Stateless and thread-safe; one instance per loaded model.
 */
public final class RequestValidator {

    private final ModelMetadata model;
    private final Map<String, TensorSpec> inputs = new LinkedHashMap<>();
    private final Set<String> outputs = new HashSet<>();

    public RequestValidator(ModelMetadata model) {
        this.model = model;
        model.inputs().forEach(spec -> inputs.put(spec.name(), spec));
        model.outputs().forEach(spec -> outputs.add(spec.name()));
    }

    /** @throws InferenceException of kind INVALID_INPUT naming the first offending tensor */
    public void validate(InferenceRequest request) {
        Set<String> seen = new HashSet<>();
        for (Tensor tensor : request.inputs()) {
            TensorSpec spec = inputs.get(tensor.name());
            if (spec == null) {
                throw invalid("input", tensor.name(), "not an input of model '" + model.name() + "' (inputs: "
                        + String.join(", ", inputs.keySet()) + ")");
            }
            if (!seen.add(tensor.name())) {
                throw invalid("input", tensor.name(), "given more than once");
            }
            checkTensor(spec, tensor);
        }
        for (String name : inputs.keySet()) {
            if (!seen.contains(name)) {
                throw invalid("input", name, "missing; model '" + model.name() + "' requires it");
            }
        }
        checkBatchDimension(request);
        for (String name : request.requestedOutputs()) {
            if (!outputs.contains(name)) {
                throw invalid("output", name, "not an output of model '" + model.name() + "' (outputs: "
                        + model.outputs().stream().map(TensorSpec::name).collect(Collectors.joining(", ")) + ")");
            }
        }
    }

    private static void checkTensor(TensorSpec spec, Tensor tensor) {
        // Strict on type: converting FP64 to FP32 (or INT64 to INT32) behind the caller's back would
        // change their numbers without telling them.
        if (tensor.datatype() != spec.datatype()) {
            throw invalid("input", tensor.name(), "expected " + spec.datatype() + ", got " + tensor.datatype());
        }
        if (!spec.acceptsShape(tensor.shape())) {
            throw invalid("input", tensor.name(), "shape " + Arrays.toString(tensor.shape())
                    + " does not fit the model's " + Arrays.toString(spec.shape()));
        }
        checkIntegerRange(tensor);
    }

    /** Narrow integer types travel in wider Java arrays (see {@link DataType}); values that do not fit would wrap. */
    private static void checkIntegerRange(Tensor tensor) {
        DataType type = tensor.datatype();
        if (!type.isNumeric() || type.isFloatingPoint()) {
            return;
        }
        for (int i = 0; i < tensor.size(); i++) {
            long value = tensor.data() instanceof int[] ints ? ints[i] : ((long[]) tensor.data())[i];
            if (value < type.minValue() || value > type.maxValue()) {
                throw invalid("input", tensor.name(), "value " + value + " at index " + i + " is outside "
                        + type + " [" + type.minValue() + ", " + type.maxValue() + "]");
            }
        }
    }

    /** Inputs whose first dimension the model leaves variable are batches, and must agree on its size. */
    private void checkBatchDimension(InferenceRequest request) {
        Tensor first = null;
        for (Tensor tensor : request.inputs()) {
            long[] declared = inputs.get(tensor.name()).shape();
            if (declared.length == 0 || declared[0] >= 0) {
                continue;
            }
            if (first == null) {
                first = tensor;
            } else if (tensor.shape()[0] != first.shape()[0]) {
                throw invalid("input", tensor.name(), "batch size " + tensor.shape()[0] + " differs from input '"
                        + first.name() + "' (" + first.shape()[0] + ")");
            }
        }
    }

    private static InferenceException invalid(String role, String name, String problem) {
        return InferenceException.invalidInput(role + " '" + name + "': " + problem);
    }
}
