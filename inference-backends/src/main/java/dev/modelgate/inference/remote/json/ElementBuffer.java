package dev.modelgate.inference.remote.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelgate.inference.DataType;

import java.io.IOException;
import java.util.Arrays;

/**
 * A growable primitive array of one {@link DataType}'s storage, filled from JSON scalars. Reading
 * straight into primitives (rather than into a List of boxed numbers) keeps a decoded tensor at one
 * array, trimmed once at the end. {@link #append(JsonParser)} checks each value with this package's
 * messages; a reader with messages of its own checks the value first and appends it typed.
 */
public final class ElementBuffer {

    private final DataType type;
    private Object data;
    private int capacity;
    private int count;

    public ElementBuffer(DataType type, int capacity) {
        this.type = type;
        this.capacity = Math.max(capacity, 4);
        this.data = java.lang.reflect.Array.newInstance(type.storage().getComponentType(), this.capacity);
    }

    public int count() {
        return count;
    }

    /** Appends the scalar the parser stands on; refuses a token that is not a value of this type. */
    void append(JsonParser json) throws IOException {
        JsonToken token = json.currentToken();
        switch (type) {
            case BOOL -> appendBoolean(readBoolean(json, token));
            case BYTES -> appendString(readString(json, token));
            case FP16, FP32 -> appendFloat(readNumber(json, token, true).getFloatValue());
            case FP64 -> appendDouble(readNumber(json, token, true).getDoubleValue());
            default -> appendIntegral(checkRange(readNumber(json, token, false).getLongValue()));
        }
    }

    /** For a BOOL buffer. */
    public void appendBoolean(boolean value) {
        ensureCapacity();
        ((boolean[]) data)[count++] = value;
    }

    /** For a BYTES buffer. */
    public void appendString(String value) {
        ensureCapacity();
        ((String[]) data)[count++] = value;
    }

    /** For an FP16 or FP32 buffer. */
    public void appendFloat(float value) {
        ensureCapacity();
        ((float[]) data)[count++] = value;
    }

    /** For an FP64 buffer. */
    public void appendDouble(double value) {
        ensureCapacity();
        ((double[]) data)[count++] = value;
    }

    /** For an integer buffer, a value already checked against the type's range. */
    public void appendIntegral(long value) {
        ensureCapacity();
        if (type.storage() == long[].class) {
            ((long[]) data)[count++] = value;
        } else {
            ((int[]) data)[count++] = (int) value;
        }
    }

    /** The elements read so far, in an array of exactly {@link #count()} elements. */
    public Object toArray() {
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
