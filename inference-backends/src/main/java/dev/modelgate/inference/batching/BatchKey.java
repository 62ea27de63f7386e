package dev.modelgate.inference.batching;

import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.Tensor;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What requests must share to run as one batch: the outputs asked for, and each input's shape past
 * the batch dimension (datatypes are fixed by the model, so the validator already made them equal).
 */
record BatchKey(List<String> requestedOutputs, Map<String, List<Long>> innerShapes) {

    static BatchKey of(InferenceRequest request) {
        return new BatchKey(request.requestedOutputs(),
                request.inputs().stream().collect(Collectors.toUnmodifiableMap(Tensor::name, TensorRows::innerShape)));
    }
}
