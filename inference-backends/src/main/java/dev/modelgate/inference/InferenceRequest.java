package dev.modelgate.inference;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One inference call as a backend sees it.
 *
 * @param id               the caller's request id (echoed in the response)
 * @param inputs           the input tensors, in the caller's order
 * @param requestedOutputs names of the outputs to return; empty means all
 */
public record InferenceRequest(String id, List<Tensor> inputs, List<String> requestedOutputs) {

    public InferenceRequest {
        Objects.requireNonNull(id, "id");
        inputs = List.copyOf(inputs);
        requestedOutputs = List.copyOf(requestedOutputs);
    }

    public Optional<Tensor> input(String name) {
        return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
