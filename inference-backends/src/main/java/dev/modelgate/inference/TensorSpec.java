package dev.modelgate.inference;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a model declares for one input or output: name, element type and shape, where -1 marks a
 * variable dimension (usually the batch dimension).
 */
public record TensorSpec(String name, DataType datatype, long[] shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(shape, "shape");
    }

    /** Whether {@code actual} fits this spec: same rank, and every fixed dimension equal. */
    public boolean acceptsShape(long[] actual) {
        if (actual.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec s && name.equals(s.name) && datatype == s.datatype && Arrays.equals(shape, s.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " " + datatype + " " + Arrays.toString(shape);
    }
}
