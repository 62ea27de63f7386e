package dev.modelgate.inference.remote.http;

import com.fasterxml.jackson.core.JsonPointer;
import dev.modelgate.inference.TensorSpec;

import java.util.Objects;

/**
 * Where one output tensor is in a generic server's answer.
 *
 * @param output      the output's name and datatype (its shape is reported as metadata; the actual
 *                    shape comes from the answer's nesting)
 * @param jsonPointer an RFC 6901 pointer to the value, e.g. {@code /result/scores}; {@code ""} is the whole body
 */
public record OutputMapping(TensorSpec output, String jsonPointer) {

    public OutputMapping {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(jsonPointer, "jsonPointer");
        try {
            JsonPointer.compile(jsonPointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jsonPointer of output '" + output.name() + "' is not a JSON pointer: '"
                    + jsonPointer + "' (" + e.getMessage() + ")");
        }
    }
}
