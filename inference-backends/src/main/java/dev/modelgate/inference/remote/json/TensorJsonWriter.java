package dev.modelgate.inference.remote.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.inference.Tensor;

import java.io.IOException;

/**
 * Writes a tensor's elements as JSON, either flat (the Open Inference Protocol's {@code data}) or
 * nested by shape (TensorFlow Serving, TorchServe and most hand-written model servers). Elements are
 * written straight from the tensor's primitive array: no boxing, no intermediate lists.
 */
public final class TensorJsonWriter {

    private TensorJsonWriter() {
    }

    /** {@code [e0, e1, ...]} in row-major order, whatever the shape. */
    public static void writeFlat(JsonGenerator json, Tensor tensor) throws IOException {
        json.writeStartArray(tensor.data(), tensor.size());
        writeElements(json, tensor, 0, tensor.size());
        json.writeEndArray();
    }

    /** The whole tensor as nested lists, one level per dimension; a scalar (shape {@code []}) as a bare value. */
    public static void writeNested(JsonGenerator json, Tensor tensor) throws IOException {
        writeNested(json, tensor, 0, 0);
    }

    /** Row {@code row} of the first dimension as nested lists of the remaining dimensions. */
    public static void writeRow(JsonGenerator json, Tensor tensor, int row) throws IOException {
        int rowSize = tensor.shape().length == 0 ? 1 : tensor.size() / Math.toIntExact(tensor.rows());
        writeNested(json, tensor, 1, row * rowSize);
    }

    private static void writeNested(JsonGenerator json, Tensor tensor, int dim, int offset) throws IOException {
        long[] shape = tensor.shape();
        if (dim >= shape.length) {
            writeElements(json, tensor, offset, offset + 1);
            return;
        }
        int length = Math.toIntExact(shape[dim]);
        json.writeStartArray(null, length);
        if (dim == shape.length - 1) {
            writeElements(json, tensor, offset, offset + length);
        } else {
            int stride = stride(shape, dim + 1);
            for (int i = 0; i < length; i++) {
                writeNested(json, tensor, dim + 1, offset + i * stride);
            }
        }
        json.writeEndArray();
    }

    private static int stride(long[] shape, int fromDim) {
        long stride = 1;
        for (int d = fromDim; d < shape.length; d++) {
            stride *= shape[d];
        }
        return Math.toIntExact(stride);
    }

    private static void writeElements(JsonGenerator json, Tensor tensor, int from, int to) throws IOException {
        Object data = tensor.data();
        if (data instanceof float[] values) {
            for (int i = from; i < to; i++) {
                json.writeNumber(values[i]);
            }
        } else if (data instanceof double[] values) {
            for (int i = from; i < to; i++) {
                json.writeNumber(values[i]);
            }
        } else if (data instanceof int[] values) {
            for (int i = from; i < to; i++) {
                json.writeNumber(values[i]);
            }
        } else if (data instanceof long[] values) {
            for (int i = from; i < to; i++) {
                json.writeNumber(values[i]);
            }
        } else if (data instanceof boolean[] values) {
            for (int i = from; i < to; i++) {
                json.writeBoolean(values[i]);
            }
        } else {
            String[] values = (String[]) data;
            for (int i = from; i < to; i++) {
                json.writeString(values[i]);
            }
        }
    }
}
