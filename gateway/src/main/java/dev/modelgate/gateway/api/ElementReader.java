package dev.modelgate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.inference.DataType;
import java.util.List;

/** Converts JSON elements to the primitive array of a datatype, rejecting any element that does not fit. */
final class ElementReader {

    private ElementReader() {}

    static Object read(List<JsonNode> elements, DataType datatype, String input) {
        int n = elements.size();
        switch (datatype) {
            case BOOL -> {
                boolean[] out = new boolean[n];
                for (int i = 0; i < n; i++) {
                    JsonNode e = elements.get(i);
                    if (!e.isBoolean()) {
                        throw mismatch(input, datatype, i, e);
                    }
                    out[i] = e.booleanValue();
                }
                return out;
            }
            case FP16, FP32 -> {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    double value = floating(elements.get(i), datatype, input, i);
                    if (Math.abs(value) > Float.MAX_VALUE) {
                        throw ApiException.badRequest("input '" + input + "': data[" + i + "] = " + value + " overflows " + datatype);
                    }
                    out[i] = (float) value;
                }
                return out;
            }
            case FP64 -> {
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = floating(elements.get(i), datatype, input, i);
                }
                return out;
            }
            case BYTES -> {
                String[] out = new String[n];
                for (int i = 0; i < n; i++) {
                    JsonNode e = elements.get(i);
                    if (!e.isTextual()) {
                        throw mismatch(input, datatype, i, e);
                    }
                    out[i] = e.textValue();
                }
                return out;
            }
            default -> {
                return integers(elements, datatype, input);
            }
        }
    }

    private static Object integers(List<JsonNode> elements, DataType datatype, String input) {
        int n = elements.size();
        boolean wide = datatype.storage() == long[].class;
        long[] longs = wide ? new long[n] : null;
        int[] ints = wide ? null : new int[n];
        for (int i = 0; i < n; i++) {
            JsonNode e = elements.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToLong()) {
                throw mismatch(input, datatype, i, e);
            }
            long value = e.longValue();
            if (value < datatype.minValue() || value > datatype.maxValue()) {
                throw ApiException.badRequest("input '" + input + "': data[" + i + "] = " + value + " is out of range for " + datatype);
            }
            if (wide) {
                longs[i] = value;
            } else {
                ints[i] = (int) value;
            }
        }
        return wide ? longs : ints;
    }

    private static double floating(JsonNode e, DataType datatype, String input, int index) {
        if (!e.isNumber()) {
            throw mismatch(input, datatype, index, e);
        }
        return e.doubleValue();
    }

    private static ApiException mismatch(String input, DataType datatype, int index, JsonNode element) {
        String shown = element.toString();
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return ApiException.badRequest("input '" + input + "': data[" + index + "] = " + shown + " is not a valid " + datatype);
    }
}
