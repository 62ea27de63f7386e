package dev.modelgate.inference.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The element types every DJL engine with a general NDArray (ONNX Runtime, PyTorch) moves the same way.
 * Unsigned 16/32/64-bit types have no DJL counterpart, and strings are left out on purpose (tabular and
 * vision models take numbers).
 */
public final class StandardTensorCodec implements TensorCodec {

    public static final Set<DataType> SUPPORTED = EnumSet.of(DataType.BOOL, DataType.INT8, DataType.UINT8,
            DataType.INT32, DataType.INT64, DataType.FP32, DataType.FP64);

    /** The protocol datatype of a DJL element type, if it is one of {@link #SUPPORTED}. */
    public static Optional<DataType> datatypeOf(ai.djl.ndarray.types.DataType type) {
        switch (type) {
            case BOOLEAN: return Optional.of(DataType.BOOL);
            case INT8: return Optional.of(DataType.INT8);
            case UINT8: return Optional.of(DataType.UINT8);
            case INT32: return Optional.of(DataType.INT32);
            case INT64: return Optional.of(DataType.INT64);
            case FLOAT32: return Optional.of(DataType.FP32);
            case FLOAT64: return Optional.of(DataType.FP64);
            default: return Optional.empty();
        }
    }

    @Override
    public NDArray toNDArray(NDManager manager, Tensor tensor) {
        Shape shape = new Shape(tensor.shape());
        Object data = tensor.data();
        NDArray array;
        switch (tensor.datatype()) {
            case BOOL: array = manager.create((boolean[]) data, shape); break;
            case INT8: array = manager.create(narrowToBytes((int[]) data), shape, ai.djl.ndarray.types.DataType.INT8); break;
            case UINT8: array = manager.create(narrowToBytes((int[]) data), shape, ai.djl.ndarray.types.DataType.UINT8); break;
            case INT32: array = manager.create((int[]) data, shape); break;
            case INT64: array = manager.create((long[]) data, shape); break;
            case FP32: array = manager.create((float[]) data, shape); break;
            case FP64: array = manager.create((double[]) data, shape); break;
            default: throw new IllegalArgumentException("tensor '" + tensor.name() + "': " + tensor.datatype()
                    + " is not supported by " + manager.getEngine().getEngineName());
        }
        array.setName(tensor.name());
        return array;
    }

    @Override
    public Tensor toTensor(TensorSpec spec, NDArray array) {
        String name = spec.name();
        long[] shape = array.getShape().getShape();
        switch (array.getDataType()) {
            case BOOLEAN: return new Tensor(name, DataType.BOOL, shape, array.toBooleanArray());
            case INT8: return new Tensor(name, DataType.INT8, shape, widenSigned(array.toByteArray()));
            case UINT8: return new Tensor(name, DataType.UINT8, shape, array.toUint8Array());
            case INT32: return new Tensor(name, DataType.INT32, shape, array.toIntArray());
            case INT64: return new Tensor(name, DataType.INT64, shape, array.toLongArray());
            case FLOAT32: return new Tensor(name, DataType.FP32, shape, array.toFloatArray());
            case FLOAT64: return new Tensor(name, DataType.FP64, shape, array.toDoubleArray());
            default: throw new IllegalStateException("output '" + name + "': the engine returned "
                    + array.getDataType() + ", which is not one of " + SUPPORTED);
        }
    }

    /** Range already checked by the request validator, so the cast cannot wrap. */
    private static ByteBuffer narrowToBytes(int[] values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length);
        for (int value : values) {
            buffer.put((byte) value);
        }
        return buffer.rewind();
    }

    private static int[] widenSigned(byte[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
