package dev.modelgate.inference.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Moves tensors between the protocol's {@link Tensor} and DJL's ONNX Runtime {@link NDArray}s, and
 * maps ONNX element types to protocol datatypes.
 */
final class OrtTensors {

    /**
     * What DJL's ONNX Runtime engine can feed and read back. ONNX Runtime's Java API has no unsigned
     * 16/32/64-bit tensors and DJL does not pass INT16 through; strings are left out on purpose
     * (tabular and vision models take numbers).
     */
    static final Set<DataType> SUPPORTED = EnumSet.of(DataType.BOOL, DataType.INT8, DataType.UINT8, DataType.INT32,
            DataType.INT64, DataType.FP16, DataType.FP32, DataType.FP64);

    private OrtTensors() {
    }

    /** The protocol datatype of an ONNX element type, if it is one of {@link #SUPPORTED}. */
    static Optional<DataType> datatypeOf(OnnxTensorType type) {
        switch (type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL: return Optional.of(DataType.BOOL);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8: return Optional.of(DataType.INT8);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32: return Optional.of(DataType.INT32);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: return Optional.of(DataType.INT64);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8: return Optional.of(DataType.UINT8);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16: return Optional.of(DataType.FP16);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT: return Optional.of(DataType.FP32);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE: return Optional.of(DataType.FP64);
            default: return Optional.empty();
        }
    }

    /** A named NDArray in {@code manager} holding {@code tensor}'s values; the datatype must be {@link #SUPPORTED}. */
    static NDArray toNDArray(NDManager manager, Tensor tensor) {
        Shape shape = new Shape(tensor.shape());
        Object data = tensor.data();
        NDArray array;
        switch (tensor.datatype()) {
            case BOOL: array = manager.create((boolean[]) data, shape); break;
            case INT8: array = manager.create(narrowToBytes((int[]) data), shape, ai.djl.ndarray.types.DataType.INT8); break;
            case UINT8: array = manager.create(narrowToBytes((int[]) data), shape, ai.djl.ndarray.types.DataType.UINT8); break;
            case INT32: array = manager.create((int[]) data, shape); break;
            case INT64: array = manager.create((long[]) data, shape); break;
            case FP16: array = manager.create(toHalfFloats((float[]) data), shape, ai.djl.ndarray.types.DataType.FLOAT16); break;
            case FP32: array = manager.create((float[]) data, shape); break;
            case FP64: array = manager.create((double[]) data, shape); break;
            default: throw new IllegalArgumentException("tensor '" + tensor.name() + "': " + tensor.datatype()
                    + " is not supported by the ONNX Runtime backend");
        }
        array.setName(tensor.name());
        return array;
    }

    /** Reads {@code array} back as a protocol tensor called {@code name}. */
    static Tensor toTensor(String name, NDArray array) {
        long[] shape = array.getShape().getShape();
        switch (array.getDataType()) {
            case BOOLEAN: return new Tensor(name, DataType.BOOL, shape, array.toBooleanArray());
            case INT8: return new Tensor(name, DataType.INT8, shape, widenSigned(array.toByteArray()));
            case UINT8: return new Tensor(name, DataType.UINT8, shape, array.toUint8Array());
            case INT32: return new Tensor(name, DataType.INT32, shape, array.toIntArray());
            case INT64: return new Tensor(name, DataType.INT64, shape, array.toLongArray());
            case FLOAT16: return new Tensor(name, DataType.FP16, shape, fromHalfFloats(array.toByteBuffer()));
            case FLOAT32: return new Tensor(name, DataType.FP32, shape, array.toFloatArray());
            case FLOAT64: return new Tensor(name, DataType.FP64, shape, array.toDoubleArray());
            default: throw new IllegalStateException("output '" + name + "': the engine returned "
                    + array.getDataType() + ", which the ONNX Runtime backend does not read");
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

    // Java 17 has no float16 type; ONNX Runtime ships the IEEE 754 binary16 conversions.
    private static ByteBuffer toHalfFloats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * Short.BYTES).order(ByteOrder.nativeOrder());
        for (float value : values) {
            buffer.putShort(Fp16Conversions.floatToFp16(value));
        }
        return buffer.rewind();
    }

    private static float[] fromHalfFloats(ByteBuffer bytes) {
        ByteBuffer buffer = bytes.duplicate().order(ByteOrder.nativeOrder());
        float[] out = new float[buffer.remaining() / Short.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = Fp16Conversions.fp16ToFloat(buffer.getShort());
        }
        return out;
    }
}
