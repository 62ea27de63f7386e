package dev.modelgate.inference.remote.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.remote.json.TensorJsonWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A JSON request body with placeholders, parsed once at start-up: {@code ${input.NAME}} becomes input
 * NAME as nested lists (a bare value for a scalar), {@code ${id}} the request id as a JSON string.
 * Everything else is copied verbatim, so the template must be JSON once the placeholders are filled,
 * e.g. {@code {"features": ${input.x}, "trace": ${id}}}.
 */
public final class RequestTemplate {

    private static final String INPUT_PREFIX = "input.";
    private static final String ID = "id";

    /** One piece of the template: literal text, an input, or the request id. */
    private sealed interface Part permits Literal, InputValue, RequestId {
    }

    private record Literal(SerializedString text) implements Part {
    }

    private record InputValue(String name) implements Part {
    }

    private record RequestId() implements Part {
    }

    private final List<Part> parts;

    private RequestTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * @param inputs the model's input names; a placeholder naming another input is refused here,
     *               not at the first request
     */
    public static RequestTemplate parse(String template, Set<String> inputs) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("${", at);
            if (open < 0) {
                parts.add(new Literal(new SerializedString(template.substring(at))));
                break;
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("requestTemplate: '${' at " + open + " is never closed");
            }
            if (open > at) {
                parts.add(new Literal(new SerializedString(template.substring(at, open))));
            }
            parts.add(placeholder(template.substring(open + 2, close), inputs));
            at = close + 1;
        }
        requireJson(parts);
        return new RequestTemplate(parts);
    }

    /** A template that cannot give JSON would fail on every request: refuse it at start-up instead. */
    private static void requireJson(List<Part> parts) {
        if (parts.isEmpty()) {
            return;
        }
        StringBuilder sample = new StringBuilder();
        for (Part part : parts) {
            sample.append(part instanceof Literal literal ? literal.text().getValue()
                    : part instanceof InputValue ? "[0]" : "\"id\"");
        }
        try (JsonParser json = new JsonFactory().createParser(sample.toString())) {
            while (json.nextToken() != null) {
                // reading every token is the check
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("requestTemplate is not JSON once its placeholders are filled: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading a String cannot fail", e);
        }
    }

    private static Part placeholder(String key, Set<String> inputs) {
        if (ID.equals(key)) {
            return new RequestId();
        }
        if (key.startsWith(INPUT_PREFIX) && inputs.contains(key.substring(INPUT_PREFIX.length()))) {
            return new InputValue(key.substring(INPUT_PREFIX.length()));
        }
        throw new IllegalArgumentException("requestTemplate: unknown placeholder ${" + key + "}; use ${id} or ${input.NAME}"
                + " with NAME one of " + inputs);
    }

    /** Writes the filled template; the generator must have no root value separator. */
    void write(JsonGenerator json, InferenceRequest request) throws IOException {
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                json.writeRaw(literal.text());
            } else if (part instanceof InputValue input) {
                // the validator has checked that every declared input is present
                Tensor tensor = request.input(input.name()).orElseThrow();
                TensorJsonWriter.writeNested(json, tensor);
            } else {
                json.writeString(request.id());
            }
        }
    }
}
