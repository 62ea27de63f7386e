package dev.modelgate.inference.remote;

import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The outputs a remote server answered, narrowed to those the caller asked for. */
public final class RequestedOutputs {

    private RequestedOutputs() {}

    /**
     * The outputs the caller asked for, in its order; all of them (as the server sent them) when it asked for
     * none. Throws {@link IllegalArgumentException} when the server left out one that was asked for.
     */
    public static List<Tensor> select(InferenceRequest request, List<Tensor> outputs) {
        if (request.requestedOutputs().isEmpty()) {
            return outputs;
        }
        List<Tensor> selected = new ArrayList<>(request.requestedOutputs().size());
        for (String name : request.requestedOutputs()) {
            Tensor found = null;
            for (Tensor output : outputs) {
                if (output.name().equals(name)) {
                    found = output;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("output '" + name + "' is missing");
            }
            selected.add(found);
        }
        return selected;
    }
}
