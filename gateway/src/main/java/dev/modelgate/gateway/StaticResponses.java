package dev.modelgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.api.ApiException;
import dev.modelgate.gateway.api.InferRequestDecoder;
import dev.modelgate.gateway.config.ConfigException;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.inference.Tensor;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The models' configured static default responses ({@code default_response: {outputs: [...]}}), read
 * with the same tensor rules as a request's inputs, so a malformed one stops the start with a message
 * naming the model rather than failing at the worst moment: when every variant has failed.
 */
final class StaticResponses {

    private StaticResponses() {}

    static Map<String, List<Tensor>> of(Collection<ModelConfig> models) {
        InferRequestDecoder decoder = new InferRequestDecoder();
        Map<String, List<Tensor>> out = new HashMap<>();
        for (ModelConfig model : models) {
            if (model.defaultResponse().isEmpty()) {
                continue;
            }
            JsonNode outputs = model.defaultResponse().get().get("outputs");
            try {
                out.put(model.name(), decoder.decodeTensors(outputs));
            } catch (ApiException e) {
                throw new ConfigException("models." + model.name() + ".default_response.outputs: " + e.getMessage());
            }
        }
        return out;
    }
}
