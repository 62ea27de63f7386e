package dev.modelgate.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
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
 *
 * <p>The body is read in one streaming pass: a tensor's {@code data} goes straight into its primitive
 * array when its {@code datatype} came first (as clients send it), the rest into small JSON nodes. The
 * checks run afterwards in a fixed order, so a body with several faults gets the same error whatever the
 * order of its fields, and a syntax error anywhere comes before every other.
 */
public final class InferRequestDecoder {

    /**
     * The decoded body; {@code unitId} is {@code parameters.unit_id}, or null; {@code parameters} holds
     * the request's scalar parameters as strings, for experiment targeting rules; {@code plain} says that
     * the body holds nothing else than the id, tensors and output names decoded (see {@link #PLAIN_TYPES}),
     * so that a backend speaking the same JSON can be sent the body itself.
     */
    public record DecodedRequest(String id, List<Tensor> inputs, List<String> requestedOutputs, String unitId,
                                 Map<String, String> parameters, boolean plain) {}

    /** The body's fields as read; {@code inputs} is null when absent or not a list. */
    private record Body(JsonNode id, JsonNode parameters, List<RawTensor> inputs, JsonNode outputs, boolean otherFields) {}

    /**
     * One element of {@code inputs} as read: its data either {@code streamed} or as a JSON node;
     * {@code otherFields} when it has fields besides name, datatype, shape and data.
     */
    private record RawTensor(boolean object, JsonNode name, JsonNode datatype, JsonNode shape, JsonNode data,
                             StreamedData streamed, boolean otherFields) {

        static RawTensor of(JsonNode node) {
            return new RawTensor(node.isObject(), node.get("name"), node.get("datatype"), node.get("shape"),
                    node.get("data"), null, false);
        }

        /** Flat data of a datatype whose JSON every server reads alike. */
        boolean plain() {
            return !otherFields && streamed != null && !streamed.nested() && PLAIN_TYPES.contains(streamed.datatype());
        }
    }

    /**
     * Numbers that mean the same to every Open Inference Protocol server however they are spelt. BOOL
     * (spelt true/false only here), BYTES and FP16 (rounded from the decimal twice here, once there) are
     * sent as the gateway writes them.
     */
    private static final Set<DataType> PLAIN_TYPES = Set.copyOf(EnumSet.of(DataType.FP32, DataType.FP64, DataType.INT8,
            DataType.INT16, DataType.INT32, DataType.INT64, DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.UINT64));

    /** A hint only: a larger declared shape still decodes, growing its array as the elements come. */
    private static final int MAX_PRESIZED_ELEMENTS = 1 << 16;

    // trailing content is checked by hand: FAIL_ON_TRAILING_TOKENS would also fire on every subtree read mid-body.
    // The fast double parser (correctly rounded, like Double.parseDouble) spares a String and FloatingDecimal's
    // buffers per element: a third of what decoding a request allocated.
    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    public DecodedRequest decode(byte[] body) {
        Body read;
        try (JsonParser json = mapper.createParser(body)) {
            read = readBody(json);
            if (json.nextToken() != null) {
                throw ApiException.badRequest("malformed JSON: content after the end of the request's JSON value");
            }
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
        if (read == null) {
            throw ApiException.badRequest("the body must be a JSON object with an 'inputs' list");
        }
        String id = optionalText(read.id(), "id");
        String unitId = null;
        Map<String, String> scalars = Map.of();
        JsonNode parameters = read.parameters();
        if (parameters != null && !parameters.isNull()) {
            if (!parameters.isObject()) {
                throw ApiException.badRequest("'parameters' must be an object");
            }
            unitId = optionalText(parameters.get("unit_id"), "parameters.unit_id");
            scalars = scalars(parameters);
        }
        List<Tensor> inputs = inputs(read.inputs());
        return new DecodedRequest(id, inputs, outputs(read.outputs()), unitId, scalars, plain(read));
    }

    /** Whether the body says only what was decoded from it; called once it decoded without error. */
    private static boolean plain(Body read) {
        if (read.otherFields() || read.parameters() != null || (read.id() != null && read.id().isNull())
                || !read.inputs().stream().allMatch(RawTensor::plain)) {
            return false;
        }
        JsonNode outputs = read.outputs();
        if (outputs == null) {
            return true;
        }
        for (JsonNode output : outputs) {
            if (output.size() != 1 || !output.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** A list of tensors in the request-input format, e.g. a configured static response's outputs. */
    public List<Tensor> decodeTensors(JsonNode tensors) {
        List<RawTensor> raw = null;
        if (tensors != null && tensors.isArray()) {
            raw = new ArrayList<>(tensors.size());
            for (JsonNode tensor : tensors) {
                raw.add(RawTensor.of(tensor));
            }
        }
        return inputs(raw);
    }

    /** The body's fields; null when the body is not a JSON object (read to its end all the same). */
    private Body readBody(JsonParser json) throws IOException {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return null;
        }
        JsonNode id = null;
        JsonNode parameters = null;
        JsonNode outputs = null;
        List<RawTensor> inputs = null;
        boolean otherFields = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "inputs" -> inputs = readInputs(json);
                case "id" -> id = readValue(json);
                case "parameters" -> parameters = mapper.readTree(json);
                case "outputs" -> outputs = mapper.readTree(json);
                default -> {
                    otherFields = true;
                    json.skipChildren();
                }
            }
        }
        return new Body(id, parameters, inputs, outputs, otherFields);
    }

    private List<RawTensor> readInputs(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            json.skipChildren();
            return null;
        }
        List<RawTensor> inputs = new ArrayList<>(2);
        while (json.nextToken() != JsonToken.END_ARRAY) {
            inputs.add(readTensor(json));
        }
        return inputs;
    }

    private RawTensor readTensor(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return new RawTensor(false, null, null, null, null, null, true);
        }
        JsonNode name = null;
        JsonNode datatype = null;
        JsonNode shape = null;
        JsonNode data = null;
        StreamedData streamed = null;
        boolean otherFields = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "name" -> name = readValue(json);
                case "datatype" -> datatype = readValue(json);
                case "shape" -> shape = readValue(json);
                case "data" -> {
                    DataType type = json.currentToken() == JsonToken.START_ARRAY ? knownDatatype(datatype) : null;
                    if (type != null) {
                        streamed = StreamedData.read(json, type, presizedElements(shape), mapper);
                    } else {
                        data = mapper.readTree(json);
                    }
                }
                default -> {
                    otherFields = true;
                    json.skipChildren();
                }
            }
        }
        return new RawTensor(true, name, datatype, shape, data, streamed, otherFields);
    }

    /**
     * The value at the parser's token as a tree. Strings and arrays of integers (ids, names, datatypes, shapes:
     * every request has them) are built here; the mapper's {@code readTree} makes a deserialization context per
     * call. Integers get the nodes {@code readTree} gives them (int, long or big integer, by size).
     */
    private JsonNode readValue(JsonParser json) throws IOException {
        return switch (json.currentToken()) {
            case VALUE_STRING -> TextNode.valueOf(json.getText());
            case VALUE_NUMBER_INT -> switch (json.getNumberType()) {
                case INT -> IntNode.valueOf(json.getIntValue());
                case LONG -> LongNode.valueOf(json.getLongValue());
                default -> mapper.readTree(json);
            };
            case START_ARRAY -> {
                ArrayNode array = mapper.getNodeFactory().arrayNode();
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(json));
                }
                yield array;
            }
            default -> mapper.readTree(json);
        };
    }

    private static DataType knownDatatype(JsonNode datatype) {
        return datatype != null && datatype.isTextual() ? DataType.fromProtocolName(datatype.asText()).orElse(null) : null;
    }

    private static int presizedElements(JsonNode shape) {
        long count = 1;
        if (shape != null && shape.isArray()) {
            for (JsonNode dim : shape) {
                if (!dim.canConvertToExactIntegral() || dim.asLong() < 0) {
                    return 16;
                }
                count *= Math.max(1, dim.asLong());
                if (count > MAX_PRESIZED_ELEMENTS) {
                    return MAX_PRESIZED_ELEMENTS;
                }
            }
        }
        return (int) count;
    }

    private static String optionalText(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("'" + path + "' must be a string");
        }
        return node.asText();
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

    private static List<Tensor> inputs(List<RawTensor> inputs) {
        if (inputs == null || inputs.isEmpty()) {
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

    private static Tensor tensor(RawTensor raw, int index) {
        if (!raw.object()) {
            throw ApiException.badRequest("inputs[" + index + "] must be an object");
        }
        JsonNode nameNode = raw.name();
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isEmpty()) {
            throw ApiException.badRequest("inputs[" + index + "] needs a 'name'");
        }
        String name = nameNode.asText();
        JsonNode datatypeNode = raw.datatype();
        if (datatypeNode == null || !datatypeNode.isTextual()) {
            throw ApiException.badRequest("input '" + name + "': 'datatype' is required");
        }
        DataType datatype = DataType.fromProtocolName(datatypeNode.asText())
                .orElseThrow(() -> ApiException.badRequest("input '" + name + "': unknown datatype '"
                        + datatypeNode.asText() + "'"));
        long[] shape = shape(raw.shape(), name);
        long count = Tensor.elementCount(shape);
        StreamedData streamed = raw.streamed();
        if (streamed != null) {
            requireCount(name, shape, count, streamed.count());
            if (streamed.firstFailure() != null) {
                throw ElementReader.badElement(name, streamed.firstFailure());
            }
            return new Tensor(name, datatype, shape, streamed.values());
        }
        List<JsonNode> elements = flatten(raw.data(), name);
        requireCount(name, shape, count, elements.size());
        return new Tensor(name, datatype, shape, ElementReader.read(elements, datatype, name));
    }

    private static void requireCount(String name, long[] shape, long count, long elements) {
        if (count != elements) {
            throw ApiException.badRequest("input '" + name + "': shape " + java.util.Arrays.toString(shape)
                    + " needs " + count + " elements, data has " + elements);
        }
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
