package dev.modelgate.inference;

import java.nio.ByteBuffer;

/** Tensor elements stored as their Java primitive, read from bytes (an engine's buffer, a protocol's raw contents). */
public final class FixedWidthElements {

    private FixedWidthElements() {}

    /**
     * {@code count} elements of {@code datatype} (FP32, FP64, INT32 or INT64: the types whose bytes are
     * their storage) from {@code bytes}' position, in its byte order, as the datatype's storage array.
     */
    public static Object copy(DataType datatype, ByteBuffer bytes, int count) {
        return switch (datatype) {
            case FP32 -> {
                float[] out = new float[count];
                bytes.asFloatBuffer().get(out);
                yield out;
            }
            case FP64 -> {
                double[] out = new double[count];
                bytes.asDoubleBuffer().get(out);
                yield out;
            }
            case INT32 -> {
                int[] out = new int[count];
                bytes.asIntBuffer().get(out);
                yield out;
            }
            case INT64 -> {
                long[] out = new long[count];
                bytes.asLongBuffer().get(out);
                yield out;
            }
            default -> throw new IllegalArgumentException(datatype + " is not stored as its bytes");
        };
    }
}
