package dev.modelgate.inference.remote.kserve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.remote.HttpReply;
import dev.modelgate.inference.remote.HttpTransport;
import dev.modelgate.inference.remote.JsonBody;
import dev.modelgate.inference.remote.RemoteProtocol;
import dev.modelgate.inference.remote.json.JsonTensorException;
import dev.modelgate.inference.remote.json.NestedTensorReader;
import dev.modelgate.inference.remote.json.TensorJsonWriter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Open Inference Protocol (KServe v2, Triton) over HTTP/JSON: tensors travel as
 * {@code {"name", "shape", "datatype", "data"}} with {@code data} flat in row-major order. Metadata and
 * readiness come from the server ({@code GET /v2/models/{m}} and {@code .../ready}).
 */
public final class KServeV2Protocol implements RemoteProtocol {

    private static final JsonStringEncoder ID_QUOTES = JsonStringEncoder.getInstance();

    private final KServeV2Settings settings;
    private final String inferPath;

    public KServeV2Protocol(KServeV2Settings settings) {
        this.settings = settings;
        this.inferPath = settings.modelPath() + "/infer";
    }

    @Override
    public Future<ModelMetadata> loadMetadata(HttpTransport http) {
        return http.get(settings.modelPath()).map(this::parseMetadata);
    }

    private ModelMetadata parseMetadata(HttpReply response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + settings.modelPath() + " answered HTTP " + response.statusCode()
                    + ": " + response.bodyAsString());
        }
        JsonObject body = response.bodyAsJsonObject();
        return new ModelMetadata(settings.modelName(), settings.version(), body.getString("platform", ""),
                specs(body.getJsonArray("inputs", new JsonArray())), specs(body.getJsonArray("outputs", new JsonArray())));
    }

    private static List<TensorSpec> specs(JsonArray array) {
        List<TensorSpec> specs = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonObject spec = array.getJsonObject(i);
            String name = spec.getString("name");
            DataType type = DataType.fromProtocolName(spec.getString("datatype"))
                    .orElseThrow(() -> new IllegalStateException("tensor '" + name + "' has unknown datatype "
                            + spec.getString("datatype")));
            JsonArray dims = spec.getJsonArray("shape", new JsonArray());
            long[] shape = new long[dims.size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = dims.getLong(d);
            }
            specs.add(new TensorSpec(name, type, shape));
        }
        return specs;
    }

    @Override
    public Future<Boolean> checkReady(HttpTransport http) {
        return http.get(settings.modelPath() + "/ready").map(response -> response.statusCode() == 200);
    }

    @Override
    public HttpMethod inferMethod() {
        return HttpMethod.POST;
    }

    @Override
    public String inferPath() {
        return inferPath;
    }

    @Override
    public void writeRequest(JsonGenerator json, InferenceRequest request) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", request.id());
        json.writeArrayFieldStart("inputs");
        for (Tensor input : request.inputs()) {
            json.writeStartObject();
            json.writeStringField("name", input.name());
            json.writeFieldName("shape");
            json.writeArray(input.shape(), 0, input.shape().length);
            json.writeStringField("datatype", input.datatype().protocolName());
            json.writeFieldName("data");
            TensorJsonWriter.writeFlat(json, input);
            json.writeEndObject();
        }
        json.writeEndArray();
        if (!request.requestedOutputs().isEmpty()) {
            json.writeArrayFieldStart("outputs");
            for (String name : request.requestedOutputs()) {
                json.writeStartObject();
                json.writeStringField("name", name);
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /**
     * The caller's body as it came, when it is this protocol's request already: the same values reach the
     * server without being formatted again (a third of the proxy's request encoding and decoding). Its id,
     * when it has none, is the one {@link #writeRequest} would send, spliced in after the opening brace.
     */
    @Override
    public Optional<Buffer> forwardedBody(InferenceRequest request) {
        return request.callerJson().map(json -> json.hasId() ? Buffer.buffer(json.bytes()) : withId(json.bytes(), request.id()));
    }

    private static Buffer withId(byte[] body, String id) {
        int brace = 0;
        while (body[brace] != '{') {
            brace++;
        }
        Buffer out = Buffer.buffer(body.length + id.length() + 16);
        out.appendBytes(body, 0, brace + 1)
                .appendString("\"id\":\"")
                .appendBytes(ID_QUOTES.quoteAsUTF8(id))
                .appendString("\",")
                .appendBytes(body, brace + 1, body.length - brace - 1);
        return out;
    }

    @Override
    public List<Tensor> readResponse(JsonBody body) throws IOException {
        try (JsonParser json = body.open()) {
            expect(json.nextToken(), JsonToken.START_OBJECT, "the response");
            List<Tensor> outputs = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                if ("outputs".equals(field)) {
                    outputs = readOutputs(json);
                } else {
                    json.skipChildren();
                }
            }
            if (outputs == null) {
                throw new JsonTensorException("the response has no 'outputs'");
            }
            return outputs;
        }
    }

    private static List<Tensor> readOutputs(JsonParser json) throws IOException {
        expect(json.currentToken(), JsonToken.START_ARRAY, "'outputs'");
        List<Tensor> outputs = new ArrayList<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            outputs.add(readOutput(json));
        }
        return outputs;
    }

    /**
     * One output object. Its {@code datatype} must come before its {@code data} (as Triton and KServe
     * write it): that lets the data go straight into a primitive array instead of being buffered.
     */
    private static Tensor readOutput(JsonParser json) throws IOException {
        expect(json.currentToken(), JsonToken.START_OBJECT, "an output");
        String name = null;
        DataType type = null;
        long[] shape = null;
        NestedTensorReader data = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "name" -> name = json.getValueAsString();
                case "datatype" -> type = DataType.fromProtocolName(json.getValueAsString())
                        .orElseThrow(() -> new JsonTensorException("unknown output datatype " + textOf(json)));
                case "shape" -> shape = readShape(json, value);
                case "data" -> {
                    if (type == null) {
                        throw new JsonTensorException("an output's 'datatype' must come before its 'data'");
                    }
                    long expected = shape == null ? -1 : Tensor.elementCount(shape);
                    data = new NestedTensorReader(type, expected > 0 && expected < Integer.MAX_VALUE ? (int) expected : 16)
                            .readValue(json);
                }
                default -> json.skipChildren();
            }
        }
        if (name == null || data == null || shape == null) {
            throw new JsonTensorException("an output needs 'name', 'shape', 'datatype' and 'data'"
                    + (name == null ? "" : " ('" + name + "')"));
        }
        return data.toTensor(name, shape);
    }

    private static long[] readShape(JsonParser json, JsonToken token) throws IOException {
        expect(token, JsonToken.START_ARRAY, "'shape'");
        long[] dims = new long[8];
        int rank = 0;
        while (json.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            if (rank == dims.length) {
                dims = java.util.Arrays.copyOf(dims, rank * 2);
            }
            dims[rank++] = json.getLongValue();
        }
        expect(json.currentToken(), JsonToken.END_ARRAY, "'shape'");
        return java.util.Arrays.copyOf(dims, rank);
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new JsonTensorException("in " + what + ": expected " + expected.asString() + ", got "
                    + (actual == null ? "end of input" : actual.asString()));
        }
    }

    private static String textOf(JsonParser json) {
        try {
            return json.getText();
        } catch (IOException e) {
            return "?";
        }
    }
}
