package dev.modelgate.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.remote.json.BufferOutputStream;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes an Open Inference Protocol infer response, with the gateway's routing facts in
 * {@code parameters} (the same values as the {@code X-Request-Id}, {@code X-Variant} and
 * {@code X-Experiment} headers). Streams straight to bytes: no intermediate tree on the hot path.
 */
public final class InferResponseEncoder {

    /** What the gateway adds to the model's answer. */
    public record Routing(String requestId, String variant, String experiment) {}

    /** Schubfach's shortest round-tripping digits, without Float.toString's garbage per number. */
    private final JsonFactory factory = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    /** The answer's JSON, in the buffer the HTTP response sends (no copy between them). */
    public Buffer encode(InferenceResponse response, String modelName, Routing routing) {
        Buffer out = Buffer.buffer(512);
        try (JsonGenerator json = factory.createGenerator(new BufferOutputStream(out))) {
            json.writeStartObject();
            json.writeStringField("model_name", modelName);
            json.writeStringField("model_version", response.modelVersion());
            json.writeStringField("id", response.id());
            json.writeObjectFieldStart("parameters");
            json.writeStringField("request_id", routing.requestId());
            json.writeStringField("variant", routing.variant());
            json.writeStringField("experiment", routing.experiment());
            json.writeEndObject();
            json.writeArrayFieldStart("outputs");
            for (Tensor tensor : response.outputs()) {
                writeTensor(json, tensor);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void writeTensor(JsonGenerator json, Tensor tensor) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", tensor.name());
        json.writeStringField("datatype", tensor.datatype().protocolName());
        json.writeArrayFieldStart("shape");
        for (long dim : tensor.shape()) {
            json.writeNumber(dim);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("data");
        writeData(json, tensor.data());
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeData(JsonGenerator json, Object data) throws IOException {
        if (data instanceof float[] values) {
            for (float v : values) {
                writeFloating(json, v);
            }
        } else if (data instanceof double[] values) {
            for (double v : values) {
                writeFloating(json, v);
            }
        } else if (data instanceof int[] values) {
            for (int v : values) {
                json.writeNumber(v);
            }
        } else if (data instanceof long[] values) {
            for (long v : values) {
                json.writeNumber(v);
            }
        } else if (data instanceof boolean[] values) {
            for (boolean v : values) {
                json.writeBoolean(v);
            }
        } else if (data instanceof String[] values) {
            for (String v : values) {
                json.writeString(v);
            }
        } else {
            throw new IllegalArgumentException("unsupported tensor storage " + data.getClass());
        }
    }

    /** JSON has no NaN or infinities; a model that produces them gets null rather than invalid JSON. */
    private static void writeFloating(JsonGenerator json, double value) throws IOException {
        if (Double.isFinite(value)) {
            json.writeNumber(value);
        } else {
            json.writeNull();
        }
    }

    private static void writeFloating(JsonGenerator json, float value) throws IOException {
        if (Float.isFinite(value)) {
            json.writeNumber(value);
        } else {
            json.writeNull();
        }
    }
}
