package dev.modelgate.inference.remote.tfserving;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.remote.HttpTransport;
import dev.modelgate.inference.remote.JsonBody;
import dev.modelgate.inference.remote.RemoteProtocol;
import dev.modelgate.inference.remote.json.JsonTensorException;
import dev.modelgate.inference.remote.json.NestedTensorReader;
import dev.modelgate.inference.remote.json.TensorJsonWriter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow Serving's REST predict API. Tensors travel as nested lists, so output shapes are
 * inferred from the nesting. With one input the row format sends the tensor itself as
 * {@code instances}; with several, one object per row. An answer names its outputs only when the
 * signature has several; a single unnamed one is the one declared output.
 * Readiness: {@code GET /v1/models/{m}} reports a version in state {@code AVAILABLE}.
 */
public final class TfServingProtocol implements RemoteProtocol {

    private final TfServingSettings settings;
    private final String inferPath;
    private final Map<String, TensorSpec> outputs = new LinkedHashMap<>();

    public TfServingProtocol(TfServingSettings settings) {
        this.settings = settings;
        this.inferPath = settings.modelPath() + ":predict";
        settings.outputs().forEach(spec -> outputs.put(spec.name(), spec));
    }

    @Override
    public Future<ModelMetadata> loadMetadata(HttpTransport http) {
        return Future.succeededFuture(settings.metadata());
    }

    @Override
    public Future<Boolean> checkReady(HttpTransport http) {
        return http.get(settings.modelPath()).map(response -> {
            if (response.statusCode() != 200) {
                return false;
            }
            JsonArray versions = response.bodyAsJsonObject().getJsonArray("model_version_status", new JsonArray());
            for (int i = 0; i < versions.size(); i++) {
                if ("AVAILABLE".equals(versions.getJsonObject(i).getString("state"))) {
                    return true;
                }
            }
            return false;
        });
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
        if (!settings.signatureName().isEmpty()) {
            json.writeStringField("signature_name", settings.signatureName());
        }
        if (settings.format() == TfServingSettings.Format.ROW) {
            json.writeFieldName("instances");
            writeInstances(json, request.inputs());
        } else {
            json.writeObjectFieldStart("inputs");
            for (Tensor input : request.inputs()) {
                json.writeFieldName(input.name());
                TensorJsonWriter.writeNested(json, input);
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeInstances(JsonGenerator json, List<Tensor> inputs) throws IOException {
        if (inputs.size() == 1) {
            TensorJsonWriter.writeNested(json, inputs.get(0));
            return;
        }
        long rows = inputs.get(0).rows();
        for (Tensor input : inputs) {
            if (input.shape().length == 0 || input.rows() != rows) {
                throw InferenceException.invalidInput("input '" + input.name() + "': the row format needs every input to have "
                        + rows + " rows, like '" + inputs.get(0).name() + "'");
            }
        }
        json.writeStartArray();
        for (int row = 0; row < rows; row++) {
            json.writeStartObject();
            for (Tensor input : inputs) {
                json.writeFieldName(input.name());
                TensorJsonWriter.writeRow(json, input, row);
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    @Override
    public List<Tensor> readResponse(JsonBody body) throws IOException {
        try (JsonParser json = body.open()) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonTensorException("the response is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                if ("predictions".equals(field)) {
                    return readPredictions(json);
                } else if ("outputs".equals(field)) {
                    return readOutputs(json);
                }
                json.skipChildren();
            }
            throw new JsonTensorException("the response has neither 'predictions' nor 'outputs'");
        }
    }

    /** {@code [row, ...]} for one output, {@code [{name: row, ...}, ...]} for several. */
    private List<Tensor> readPredictions(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonTensorException("'predictions' must be a list");
        }
        Map<String, NestedTensorReader> readers = new LinkedHashMap<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            if (json.currentToken() == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    json.nextToken();
                    readerFor(readers, name).readRow(json);
                }
            } else {
                readerFor(readers, singleOutput().name()).readRow(json);
            }
        }
        if (readers.isEmpty()) {
            // no rows: every declared output is empty
            for (TensorSpec spec : outputs.values()) {
                readers.put(spec.name(), new NestedTensorReader(spec.datatype()).asRows());
            }
        }
        return tensors(readers);
    }

    /** {@code value} for one output, {@code {name: value, ...}} for several. */
    private List<Tensor> readOutputs(JsonParser json) throws IOException {
        Map<String, NestedTensorReader> readers = new LinkedHashMap<>();
        if (json.currentToken() == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                readerFor(readers, name).readValue(json);
            }
        } else {
            readerFor(readers, singleOutput().name()).readValue(json);
        }
        return tensors(readers);
    }

    private NestedTensorReader readerFor(Map<String, NestedTensorReader> readers, String name) {
        NestedTensorReader reader = readers.get(name);
        if (reader == null) {
            TensorSpec spec = outputs.get(name);
            if (spec == null) {
                throw new JsonTensorException("the answer has output '" + name + "', which is not declared (outputs: "
                        + String.join(", ", outputs.keySet()) + ")");
            }
            reader = new NestedTensorReader(spec.datatype());
            readers.put(name, reader);
        }
        return reader;
    }

    private TensorSpec singleOutput() {
        if (outputs.size() != 1) {
            throw new JsonTensorException("the answer is unnamed but " + outputs.size() + " outputs are declared");
        }
        return outputs.values().iterator().next();
    }

    private static List<Tensor> tensors(Map<String, NestedTensorReader> readers) {
        List<Tensor> tensors = new ArrayList<>(readers.size());
        readers.forEach((name, reader) -> tensors.add(reader.toTensor(name)));
        return tensors;
    }
}
