package dev.modelgate.inference;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named, typed, shaped tensor in row-major order, as the Open Inference Protocol defines it.
 * {@code data} is a primitive array of {@link DataType#storage()} whose length is the product of
 * {@code shape}. Instances are treated as immutable: neither the constructor nor the accessors copy
 * the arrays, so callers must not mutate what they pass in or get back.
 */
public record Tensor(String name, DataType datatype, long[] shape, Object data) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (!datatype.storage().isInstance(data)) {
            throw new IllegalArgumentException("tensor '" + name + "': " + datatype + " data must be a "
                    + datatype.storage().getSimpleName() + ", got " + data.getClass().getSimpleName());
        }
        long expected = elementCount(shape);
        int actual = java.lang.reflect.Array.getLength(data);
        if (expected != actual) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " holds " + expected + " elements but data has " + actual);
        }
    }

    /** Number of elements a shape holds; -1 when a dimension is negative (variable). */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                return -1;
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    public static Tensor ofFloats(String name, long[] shape, float[] data) {
        return new Tensor(name, DataType.FP32, shape, data);
    }

    public static Tensor ofDoubles(String name, long[] shape, double[] data) {
        return new Tensor(name, DataType.FP64, shape, data);
    }

    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** Rows of a batch: the first dimension, or 1 for a scalar. */
    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Element {@code i} as a double; BOOL maps to 0/1. Not defined for BYTES. */
    public double getDouble(int i) {
        if (data instanceof float[] f) {
            return f[i];
        } else if (data instanceof double[] d) {
            return d[i];
        } else if (data instanceof int[] n) {
            return n[i];
        } else if (data instanceof long[] n) {
            return n[i];
        } else if (data instanceof boolean[] b) {
            return b[i] ? 1.0 : 0.0;
        }
        throw new IllegalStateException("tensor '" + name + "' of type " + datatype + " is not numeric");
    }

    /** All elements widened to double (row-major). Not defined for BYTES. */
    public double[] toDoubles() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** All elements narrowed or widened to float (row-major). Not defined for BYTES. */
    public float[] toFloats() {
        if (data instanceof float[] f) {
            return f;
        }
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && name.equals(t.name)
                && datatype == t.datatype
                && Arrays.equals(shape, t.shape)
                && Objects.deepEquals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape), Arrays.deepHashCode(new Object[] {data}));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + datatype + " " + Arrays.toString(shape) + "]";
    }
}
