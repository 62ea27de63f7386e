package dev.modelgate.gateway.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.remote.json.ElementBuffer;
import java.io.IOException;

/**
 * A tensor's {@code data} read from the parser straight into its datatype's primitive array, flat or
 * nested (row-major), without a JSON node per element. The first element that does not fit is kept as
 * the {@link ElementReader} message it would have caused, and the elements after it are only counted:
 * the decoder reports a wrong element count before a wrong element, whatever the order of the fields.
 */
final class StreamedData {

    private final DataType datatype;
    private final ElementBuffer values;
    private String firstFailure;
    /** Elements from the first that did not fit on, counted but not kept. */
    private long skipped;
    /** Whether the list held lists (rows) rather than the elements themselves. */
    private boolean nested;

    private StreamedData(DataType datatype, int expectedElements) {
        this.datatype = datatype;
        this.values = new ElementBuffer(datatype, expectedElements);
    }

    /**
     * Reads the list the parser stands on, leaving the parser on its end.
     *
     * @param expectedElements a capacity hint (the element count of a shape seen before the data)
     * @param mapper           reads an element that does not fit, for the message that quotes it
     */
    static StreamedData read(JsonParser json, DataType datatype, int expectedElements, ObjectMapper mapper) throws IOException {
        StreamedData data = new StreamedData(datatype, expectedElements);
        data.readList(json, mapper);
        return data;
    }

    /** Elements read, including any after the first that did not fit. */
    long count() {
        return values.count() + skipped;
    }

    /** What the first element that did not fit would be reported as ({@code data[i] = ... }), or null. */
    String firstFailure() {
        return firstFailure;
    }

    boolean nested() {
        return nested;
    }

    DataType datatype() {
        return datatype;
    }

    Object values() {
        return values.toArray();
    }

    private void readList(JsonParser json, ObjectMapper mapper) throws IOException {
        JsonToken token;
        while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY) {
                nested = true;
                readList(json, mapper);
            } else if (firstFailure != null) {
                json.skipChildren();
                skipped++;
            } else {
                element(json, token, mapper);
            }
        }
    }

    private void element(JsonParser json, JsonToken token, ObjectMapper mapper) throws IOException {
        int index = values.count();
        switch (datatype) {
            case BOOL -> {
                if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                    values.appendBoolean(token == JsonToken.VALUE_TRUE);
                    return;
                }
            }
            case BYTES -> {
                if (token == JsonToken.VALUE_STRING) {
                    values.appendString(json.getText());
                    return;
                }
            }
            case FP16, FP32 -> {
                if (token.isNumeric()) {
                    double value = json.getDoubleValue();
                    if (Math.abs(value) > Float.MAX_VALUE) {
                        fail(ElementReader.overflow(index, value, datatype));
                    } else {
                        values.appendFloat((float) value);
                    }
                    return;
                }
            }
            case FP64 -> {
                if (token.isNumeric()) {
                    values.appendDouble(json.getDoubleValue());
                    return;
                }
            }
            default -> {
                if (token == JsonToken.VALUE_NUMBER_INT && fitsInLong(json.getNumberType())) {
                    long value = json.getLongValue();
                    if (value < datatype.minValue() || value > datatype.maxValue()) {
                        fail(ElementReader.outOfRange(index, value, datatype));
                    } else {
                        values.appendIntegral(value);
                    }
                    return;
                }
            }
        }
        fail(ElementReader.mismatch(index, mapper.readTree(json), datatype));
    }

    private static boolean fitsInLong(JsonParser.NumberType type) {
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }

    private void fail(String message) {
        firstFailure = message;
        skipped = 1;
    }
}
