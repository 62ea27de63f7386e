package dev.modelgate.gateway.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes an Open Inference Protocol (KServe v2) infer request body into tensors, checking everything
 * that can be checked without the model: JSON syntax, datatype names, shapes, that {@code data} holds
 * exactly as many elements as the shape says (flat or nested, row-major), and that each element fits
 * its datatype. Every error names the input it is about.
 */
public final class InferRequestDecoder {

    /**
     * The decoded body; {@code unitId} is {@code parameters.unit_id}, or null; {@code parameters} holds
     * the request's scalar parameters as strings, for experiment targeting rules.
     */
    public record DecodedRequest(String id, List<Tensor> inputs, List<String> requestedOutputs, String unitId,
                                 Map<String, String> parameters) {}

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public DecodedRequest decode(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object with an 'inputs' list");
        }
        String id = optionalText(root, "id", "id");
        String unitId = null;
        Map<String, String> scalars = Map.of();
        JsonNode parameters = root.get("parameters");
        if (parameters != null && !parameters.isNull()) {
            if (!parameters.isObject()) {
                throw ApiException.badRequest("'parameters' must be an object");
            }
            unitId = optionalText(parameters, "unit_id", "parameters.unit_id");
            scalars = scalars(parameters);
        }
        return new DecodedRequest(id, inputs(root.get("inputs")), outputs(root.get("outputs")), unitId, scalars);
    }

    private static String optionalText(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("'" + path + "' must be a string");
        }
        return node.asText();
    }

    /** A list of tensors in the request-input format, e.g. a configured static response's outputs. */
    public List<Tensor> decodeTensors(JsonNode tensors) {
        return inputs(tensors);
    }

    private static Map<String, String> scalars(JsonNode parameters) {
        Map<String, String> out = new HashMap<>();
        parameters.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    private static List<Tensor> inputs(JsonNode inputs) {
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw ApiException.badRequest("'inputs' must be a non-empty list of tensors");
        }
        List<Tensor> tensors = new ArrayList<>(inputs.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor tensor = tensor(inputs.get(i), i);
            if (!names.add(tensor.name())) {
                throw ApiException.badRequest("input '" + tensor.name() + "' appears more than once");
            }
            tensors.add(tensor);
        }
        return tensors;
    }

    private static List<String> outputs(JsonNode outputs) {
        if (outputs == null || outputs.isNull()) {
            return List.of();
        }
        if (!outputs.isArray()) {
            throw ApiException.badRequest("'outputs' must be a list of {\"name\": ...}");
        }
        List<String> names = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode name = outputs.get(i).get("name");
            if (name == null || !name.isTextual() || name.asText().isEmpty()) {
                throw ApiException.badRequest("outputs[" + i + "] needs a 'name'");
            }
            names.add(name.asText());
        }
        return names;
    }

    private static Tensor tensor(JsonNode node, int index) {
        if (!node.isObject()) {
            throw ApiException.badRequest("inputs[" + index + "] must be an object");
        }
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isEmpty()) {
            throw ApiException.badRequest("inputs[" + index + "] needs a 'name'");
        }
        String name = nameNode.asText();
        JsonNode datatypeNode = node.get("datatype");
        if (datatypeNode == null || !datatypeNode.isTextual()) {
            throw ApiException.badRequest("input '" + name + "': 'datatype' is required");
        }
        DataType datatype = DataType.fromProtocolName(datatypeNode.asText())
                .orElseThrow(() -> ApiException.badRequest("input '" + name + "': unknown datatype '"
                        + datatypeNode.asText() + "'"));
        long[] shape = shape(node.get("shape"), name);
        long count = Tensor.elementCount(shape);
        List<JsonNode> elements = flatten(node.get("data"), name);
        if (count != elements.size()) {
            throw ApiException.badRequest("input '" + name + "': shape " + java.util.Arrays.toString(shape)
                    + " needs " + count + " elements, data has " + elements.size());
        }
        return new Tensor(name, datatype, shape, ElementReader.read(elements, datatype, name));
    }

    private static long[] shape(JsonNode node, String name) {
        if (node == null || !node.isArray()) {
            throw ApiException.badRequest("input '" + name + "': 'shape' must be a list of dimensions");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = node.get(i);
            if (!dim.canConvertToExactIntegral() || dim.asLong() < 0) {
                throw ApiException.badRequest("input '" + name + "': shape[" + i + "] must be a non-negative integer");
            }
            shape[i] = dim.asLong();
        }
        try {
            Tensor.elementCount(shape);
        } catch (ArithmeticException e) {
            throw ApiException.badRequest("input '" + name + "': shape is too large");
        }
        return shape;
    }

    /** Row-major flattening of {@code data}, which the protocol allows flat or nested. */
    private static List<JsonNode> flatten(JsonNode data, String name) {
        if (data == null || !data.isArray()) {
            throw ApiException.badRequest("input '" + name + "': 'data' must be a list");
        }
        List<JsonNode> out = new ArrayList<>(data.size());
        collect(data, out);
        return out;
    }

    private static void collect(JsonNode array, List<JsonNode> out) {
        for (JsonNode element : array) {
            if (element.isArray()) {
                collect(element, out);
            } else {
                out.add(element);
            }
        }
    }
}
