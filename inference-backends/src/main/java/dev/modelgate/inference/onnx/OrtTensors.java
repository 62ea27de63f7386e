package dev.modelgate.inference.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.djl.StandardTensorCodec;
import dev.modelgate.inference.djl.TensorCodec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * ONNX Runtime's tensors: the standard DJL types plus FP16, and the mapping from ONNX element types.
 */
final class OrtTensors implements TensorCodec {

    /**
     * What DJL's ONNX Runtime engine can feed and read back. ONNX Runtime's Java API has no unsigned
     * 16/32/64-bit tensors and DJL does not pass INT16 through.
     */
    static final Set<DataType> SUPPORTED;

    static {
        Set<DataType> supported = EnumSet.copyOf(StandardTensorCodec.SUPPORTED);
        supported.add(DataType.FP16);
        SUPPORTED = Set.copyOf(supported);
    }

    private final StandardTensorCodec standard = new StandardTensorCodec();

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

    @Override
    public NDArray toNDArray(NDManager manager, Tensor tensor) {
        if (tensor.datatype() != DataType.FP16) {
            return standard.toNDArray(manager, tensor);
        }
        NDArray array = manager.create(toHalfFloats((float[]) tensor.data()), new Shape(tensor.shape()),
                ai.djl.ndarray.types.DataType.FLOAT16);
        array.setName(tensor.name());
        return array;
    }

    @Override
    public Tensor toTensor(TensorSpec spec, NDArray array) {
        if (array.getDataType() != ai.djl.ndarray.types.DataType.FLOAT16) {
            return standard.toTensor(spec, array);
        }
        return new Tensor(spec.name(), DataType.FP16, array.getShape().getShape(), fromHalfFloats(array.toByteBuffer()));
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
