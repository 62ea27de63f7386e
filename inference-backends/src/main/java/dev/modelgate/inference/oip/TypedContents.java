package dev.modelgate.inference.oip;

import com.google.protobuf.ByteString;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.oip.proto.InferTensorContents;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A tensor's elements as the protocol's typed {@code contents}: the one repeated field that matches the
 * datatype (INT8/16/32 in {@code int_contents}, UINT8/16/32 in {@code uint_contents}, …). FP16 has no
 * typed field: the protocol carries it only as raw contents.
 */
final class TypedContents {

    private TypedContents() {}

    /** The elements of the field that matches {@code type}; throws (naming {@code what}) for a value out of the type's range. */
    static Object read(InferTensorContents contents, DataType type, String what) {
        return switch (type) {
            case BOOL -> {
                boolean[] out = new boolean[contents.getBoolContentsCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = contents.getBoolContents(i);
                }
                yield out;
            }
            case INT8, INT16, INT32 -> {
                int[] out = new int[contents.getIntContentsCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = inRange(contents.getIntContents(i), type, i, what);
                }
                yield out;
            }
            case UINT8, UINT16 -> {
                int[] out = new int[contents.getUintContentsCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (int) inRange(Integer.toUnsignedLong(contents.getUintContents(i)), type, i, what);
                }
                yield out;
            }
            case UINT32 -> {
                long[] out = new long[contents.getUintContentsCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Integer.toUnsignedLong(contents.getUintContents(i));
                }
                yield out;
            }
            case INT64 -> longs(contents.getInt64ContentsList());
            case UINT64 -> {
                long[] out = longs(contents.getUint64ContentsList());
                for (int i = 0; i < out.length; i++) {
                    if (out[i] < 0) {
                        throw outOfRange(Long.toUnsignedString(out[i]), type, i, what);
                    }
                }
                yield out;
            }
            case FP32 -> {
                float[] out = new float[contents.getFp32ContentsCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = contents.getFp32Contents(i);
                }
                yield out;
            }
            case FP64 -> {
                double[] out = new double[contents.getFp64ContentsCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = contents.getFp64Contents(i);
                }
                yield out;
            }
            case BYTES -> {
                String[] out = new String[contents.getBytesContentsCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = contents.getBytesContents(i).toString(StandardCharsets.UTF_8);
                }
                yield out;
            }
            case FP16 -> throw new IllegalArgumentException(what + ": FP16 travels only as raw contents (the protocol has no typed field for it)");
        };
    }

    /** How many elements the contents hold, over all its fields (only the datatype's should have any). */
    static int elementCount(InferTensorContents c) {
        return c.getBoolContentsCount() + c.getIntContentsCount() + c.getInt64ContentsCount() + c.getUintContentsCount()
                + c.getUint64ContentsCount() + c.getFp32ContentsCount() + c.getFp64ContentsCount() + c.getBytesContentsCount();
    }

    /** The typed contents of a tensor's {@code data}; FP16 cannot be written this way. */
    static InferTensorContents write(Object data, DataType type) {
        InferTensorContents.Builder out = InferTensorContents.newBuilder();
        switch (type) {
            case BOOL -> {
                for (boolean v : (boolean[]) data) {
                    out.addBoolContents(v);
                }
            }
            case INT8, INT16, INT32 -> {
                for (int v : (int[]) data) {
                    out.addIntContents(v);
                }
            }
            case UINT8, UINT16 -> {
                for (int v : (int[]) data) {
                    out.addUintContents(v);
                }
            }
            case UINT32 -> {
                for (long v : (long[]) data) {
                    out.addUintContents((int) v);
                }
            }
            case INT64 -> {
                for (long v : (long[]) data) {
                    out.addInt64Contents(v);
                }
            }
            case UINT64 -> {
                for (long v : (long[]) data) {
                    out.addUint64Contents(v);
                }
            }
            case FP32 -> {
                for (float v : (float[]) data) {
                    out.addFp32Contents(v);
                }
            }
            case FP64 -> {
                for (double v : (double[]) data) {
                    out.addFp64Contents(v);
                }
            }
            case BYTES -> {
                for (String v : (String[]) data) {
                    out.addBytesContents(ByteString.copyFromUtf8(v));
                }
            }
            case FP16 -> throw new IllegalArgumentException("FP16 travels only as raw contents");
        }
        return out.build();
    }

    private static long[] longs(List<Long> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static int inRange(int value, DataType type, int index, String what) {
        return (int) inRange((long) value, type, index, what);
    }

    private static long inRange(long value, DataType type, int index, String what) {
        if (value < type.minValue() || value > type.maxValue()) {
            throw outOfRange(Long.toString(value), type, index, what);
        }
        return value;
    }

    private static IllegalArgumentException outOfRange(String value, DataType type, int index, String what) {
        return new IllegalArgumentException(what + ": element " + index + " (" + value + ") is out of range for " + type);
    }
}
