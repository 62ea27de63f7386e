package dev.modelgate.inference.remote.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelgate.inference.DataType;

import java.io.IOException;
import java.util.Arrays;

/**
 * A growable primitive array of one {@link DataType}'s storage, filled from JSON scalars. Reading
 * straight into primitives (rather than into a List of boxed numbers) keeps a decoded response at one
 * array per tensor, trimmed once at the end.
 */
final class ElementBuffer {

    private final DataType type;
    private Object data;
    private int capacity;
    private int count;

    ElementBuffer(DataType type, int capacity) {
        this.type = type;
        this.capacity = Math.max(capacity, 4);
        this.data = java.lang.reflect.Array.newInstance(type.storage().getComponentType(), this.capacity);
    }

    int count() {
        return count;
    }

    /** Appends the scalar the parser stands on; refuses a token that is not a value of this type. */
    void append(JsonParser json) throws IOException {
        JsonToken token = json.currentToken();
        ensureCapacity();
        switch (type) {
            case BOOL -> ((boolean[]) data)[count] = readBoolean(json, token);
            case BYTES -> ((String[]) data)[count] = readString(json, token);
            case FP16, FP32 -> ((float[]) data)[count] = readNumber(json, token, true).getFloatValue();
            case FP64 -> ((double[]) data)[count] = readNumber(json, token, true).getDoubleValue();
            case UINT32, UINT64, INT64 -> ((long[]) data)[count] = checkRange(readNumber(json, token, false).getLongValue());
            default -> ((int[]) data)[count] = (int) checkRange(readNumber(json, token, false).getLongValue());
        }
        count++;
    }

    /** The elements read so far, in an array of exactly {@link #count()} elements. */
    Object toArray() {
        if (capacity == count) {
            return data;
        }
        return switch (type) {
            case BOOL -> Arrays.copyOf((boolean[]) data, count);
            case BYTES -> Arrays.copyOf((String[]) data, count);
            case FP16, FP32 -> Arrays.copyOf((float[]) data, count);
            case FP64 -> Arrays.copyOf((double[]) data, count);
            case UINT32, UINT64, INT64 -> Arrays.copyOf((long[]) data, count);
            default -> Arrays.copyOf((int[]) data, count);
        };
    }

    private void ensureCapacity() {
        if (count < capacity) {
            return;
        }
        capacity = Math.multiplyExact(capacity, 2);
        Object bigger = java.lang.reflect.Array.newInstance(type.storage().getComponentType(), capacity);
        System.arraycopy(data, 0, bigger, 0, count);
        data = bigger;
    }

    private JsonParser readNumber(JsonParser json, JsonToken token, boolean floating) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || (floating && token == JsonToken.VALUE_NUMBER_FLOAT)) {
            return json;
        }
        throw new JsonTensorException("expected " + (floating ? "a number" : "an integer") + " for " + type
                + ", got " + describe(json, token));
    }

    private long checkRange(long value) {
        if (value < type.minValue() || value > type.maxValue()) {
            throw new JsonTensorException("value " + value + " is outside " + type);
        }
        return value;
    }

    private boolean readBoolean(JsonParser json, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE;
        }
        throw new JsonTensorException("expected true or false for BOOL, got " + describe(json, token));
    }

    private static String readString(JsonParser json, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return json.getText();
        }
        throw new JsonTensorException("expected a string for BYTES, got " + describe(json, token));
    }

    private static String describe(JsonParser json, JsonToken token) throws IOException {
        return token == null ? "end of input" : token.isScalarValue() ? json.getText() : token.asString();
    }
}
