package dev.modelgate.inference.batching;

import dev.modelgate.inference.Tensor;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;

/** Joins tensors along their first (batch) dimension and cuts row ranges back out. */
final class TensorRows {

    private TensorRows() {
    }

    /** The parts one after another; they share datatype and every dimension but the first. */
    static Tensor concat(List<Tensor> parts) {
        Tensor first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        long rows = 0;
        int size = 0;
        for (Tensor part : parts) {
            rows += part.rows();
            size += part.size();
        }
        Object data = Array.newInstance(first.data().getClass().getComponentType(), size);
        int offset = 0;
        for (Tensor part : parts) {
            System.arraycopy(part.data(), 0, data, offset, part.size());
            offset += part.size();
        }
        long[] shape = first.shape().clone();
        shape[0] = rows;
        return new Tensor(first.name(), first.datatype(), shape, data);
    }

    /** Rows {@code [from, from + count)} of {@code tensor}. */
    static Tensor slice(Tensor tensor, long from, long count) {
        if (from == 0 && count == tensor.rows()) {
            return tensor;
        }
        int rowLength = Math.toIntExact(tensor.size() / tensor.rows());
        int start = Math.toIntExact(from * rowLength);
        int length = Math.toIntExact(count * rowLength);
        Object data = Array.newInstance(tensor.data().getClass().getComponentType(), length);
        System.arraycopy(tensor.data(), start, data, 0, length);
        long[] shape = tensor.shape().clone();
        shape[0] = count;
        return new Tensor(tensor.name(), tensor.datatype(), shape, data);
    }

    /** Every dimension but the first, the part requests must share to be batched together. */
    static List<Long> innerShape(Tensor tensor) {
        return Arrays.stream(tensor.shape()).skip(1).boxed().toList();
    }
}
