package dev.modelgate.inference.pytorch;

import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.djl.DjlModelSettings;
import dev.modelgate.inference.djl.StandardTensorCodec;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to serve one TorchScript model. A TorchScript file has no typed signature (its {@code forward}
 * says {@code Tensor}, not a dtype or a shape), so the inputs must be configured; the outputs' types
 * and shapes are measured by one probe call at load time, and only their names may be configured.
 *
 * @param model       the settings every DJL engine shares; the file is a TorchScript archive
 *                    ({@code torch.jit.trace}/{@code torch.jit.script}, then {@code .save("model.pt")})
 * @param inputs      {@code forward}'s arguments in order: name, datatype and shape, -1 marking a
 *                    variable dimension (a leading -1 is the batch dimension)
 * @param outputNames names for the tensors {@code forward} returns (one tensor, or a tuple of them, in
 *                    order); empty means Triton's convention {@code output__0}, {@code output__1}, ...
 */
public record PyTorchSettings(DjlModelSettings model, List<TensorSpec> inputs, List<String> outputNames) {

    public PyTorchSettings {
        Objects.requireNonNull(model, "model");
        model.requireSuffix(".pt", ".torchscript");
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs must list forward()'s arguments (name, datatype, shape) for "
                    + model.modelPath() + ": a TorchScript file does not declare them");
        }
        inputs = List.copyOf(inputs);
        outputNames = outputNames == null ? List.of() : List.copyOf(outputNames);
        Set<String> names = new HashSet<>();
        for (TensorSpec input : inputs) {
            if (!StandardTensorCodec.SUPPORTED.contains(input.datatype())) {
                throw new IllegalArgumentException("inputs: '" + input.name() + "' has datatype " + input.datatype()
                        + "; the PyTorch backend serves " + StandardTensorCodec.SUPPORTED);
            }
            if (!names.add(input.name())) {
                throw new IllegalArgumentException("inputs: '" + input.name() + "' is listed twice");
            }
        }
        if (new HashSet<>(outputNames).size() != outputNames.size()) {
            throw new IllegalArgumentException("outputNames must be distinct, got " + outputNames);
        }
    }

    /** Triton-style output names ({@code output__0}, ...). */
    public static PyTorchSettings of(DjlModelSettings model, List<TensorSpec> inputs) {
        return new PyTorchSettings(model, inputs, List.of());
    }

    public PyTorchSettings withOutputNames(List<String> names) {
        return new PyTorchSettings(model, inputs, names);
    }

    public PyTorchSettings withModel(DjlModelSettings settings) {
        return new PyTorchSettings(settings, inputs, outputNames);
    }
}
