package dev.modelgate.inference;

import java.util.List;
import java.util.Objects;

/** A backend's answer: the output tensors for one {@link InferenceRequest}. */
public record InferenceResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {

    public InferenceResponse {
        Objects.requireNonNull(modelName, "modelName");
        modelVersion = modelVersion == null ? "" : modelVersion;
        Objects.requireNonNull(id, "id");
        outputs = List.copyOf(outputs);
    }
}
