package dev.modelgate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.inference.DataType;
import java.util.List;

/**
 * Converts JSON elements to the primitive array of a datatype, rejecting any element that does not fit.
 * Its messages ({@code data[i] = ... is not a valid FP32}) are also {@link StreamedData}'s.
 */
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
                        throw badElement(input, mismatch(i, e, datatype));
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
                        throw badElement(input, overflow(i, value, datatype));
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
                        throw badElement(input, mismatch(i, e, datatype));
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
                throw badElement(input, mismatch(i, e, datatype));
            }
            long value = e.longValue();
            if (value < datatype.minValue() || value > datatype.maxValue()) {
                throw badElement(input, outOfRange(i, value, datatype));
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
            throw badElement(input, mismatch(index, e, datatype));
        }
        return e.doubleValue();
    }

    static ApiException badElement(String input, String problem) {
        return ApiException.badRequest("input '" + input + "': " + problem);
    }

    static String mismatch(int index, JsonNode element, DataType datatype) {
        String shown = element.toString();
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return "data[" + index + "] = " + shown + " is not a valid " + datatype;
    }

    static String overflow(int index, double value, DataType datatype) {
        return "data[" + index + "] = " + value + " overflows " + datatype;
    }

    static String outOfRange(int index, long value, DataType datatype) {
        return "data[" + index + "] = " + value + " is out of range for " + datatype;
    }
}
