package dev.modelgate.inference.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The protocol's tensors to ONNX Runtime's and back. Inputs are written into direct buffers that each
 * worker thread keeps and reuses (ONNX Runtime reads a direct buffer in place, and copies a heap one into
 * a fresh direct buffer on every call); outputs are copied out once, into the protocol's arrays.
 */
final class OrtTensors {

    /**
     * What the backend feeds and reads back: ONNX Runtime's Java API has no unsigned 16/32/64-bit tensors,
     * and INT16/UINT16 are left out as the other engines leave them out.
     */
    static final Set<DataType> SUPPORTED = Set.copyOf(EnumSet.of(DataType.BOOL, DataType.INT8, DataType.UINT8,
            DataType.INT32, DataType.INT64, DataType.FP16, DataType.FP32, DataType.FP64));

    private final OrtEnvironment environment;
    /** Per worker thread, one reusable direct buffer per input position. */
    private final ThreadLocal<ByteBuffer[]> scratch;

    OrtTensors(OrtEnvironment environment, int inputs) {
        this.environment = environment;
        this.scratch = ThreadLocal.withInitial(() -> new ByteBuffer[inputs]);
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

    /**
     * An ONNX tensor over this thread's buffer for input {@code slot}: valid until the next call for the
     * same slot on the same thread, so it must be closed before the thread's next request.
     */
    OnnxTensor toOnnx(int slot, Tensor tensor) throws OrtException {
        int count = Math.toIntExact(Tensor.elementCount(tensor.shape()));
        Object data = tensor.data();
        OnnxJavaType type = javaType(tensor);
        ByteBuffer buffer = buffer(slot, count * type.size);
        switch (tensor.datatype()) {
            case FP32 -> buffer.asFloatBuffer().put((float[]) data);
            case FP64 -> buffer.asDoubleBuffer().put((double[]) data);
            case INT32 -> buffer.asIntBuffer().put((int[]) data);
            case INT64 -> buffer.asLongBuffer().put((long[]) data);
            case FP16 -> {
                for (float value : (float[]) data) {
                    buffer.putShort(Fp16Conversions.floatToFp16(value));
                }
            }
            // values already range-checked by the request validator, so the narrowing cannot wrap
            case INT8, UINT8 -> {
                for (int value : (int[]) data) {
                    buffer.put((byte) value);
                }
            }
            default -> {
                for (boolean value : (boolean[]) data) {
                    buffer.put((byte) (value ? 1 : 0));
                }
            }
        }
        return OnnxTensor.createTensor(environment, buffer.rewind(), tensor.shape(), type);
    }

    private static OnnxJavaType javaType(Tensor tensor) {
        return switch (tensor.datatype()) {
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case FP16 -> OnnxJavaType.FLOAT16;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            default -> throw new IllegalArgumentException("tensor '" + tensor.name() + "': " + tensor.datatype()
                    + " is not served by the ONNX Runtime backend, which serves " + SUPPORTED);
        };
    }

    /** This thread's direct buffer for {@code slot}, at least {@code bytes} long, positioned at 0 with its limit at {@code bytes}. */
    private ByteBuffer buffer(int slot, int bytes) {
        ByteBuffer[] buffers = scratch.get();
        ByteBuffer buffer = buffers[slot];
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, 64)).order(ByteOrder.nativeOrder());
            buffers[slot] = buffer;
        }
        buffer.clear().limit(bytes);
        return buffer;
    }

    /** An output of the model as the protocol's tensor named {@code name}. */
    static Tensor toTensor(String name, OnnxTensor value) {
        TensorInfo info = value.getInfo();
        long[] shape = info.getShape();
        DataType datatype = datatypeOf(info.onnxType).orElseThrow(() -> new IllegalStateException("output '" + name
                + "': the model returned " + info.onnxType + ", which is not one of " + SUPPORTED));
        return switch (datatype) {
            case FP32 -> new Tensor(name, datatype, shape, floats(value.getFloatBuffer()));
            case FP64 -> {
                double[] out = new double[Math.toIntExact(info.getNumElements())];
                value.getDoubleBuffer().get(out);
                yield new Tensor(name, datatype, shape, out);
            }
            case INT32 -> {
                int[] out = new int[Math.toIntExact(info.getNumElements())];
                value.getIntBuffer().get(out);
                yield new Tensor(name, datatype, shape, out);
            }
            case INT64 -> {
                long[] out = new long[Math.toIntExact(info.getNumElements())];
                value.getLongBuffer().get(out);
                yield new Tensor(name, datatype, shape, out);
            }
            case FP16 -> {
                ByteBuffer bytes = value.getByteBuffer().order(ByteOrder.nativeOrder());
                float[] out = new float[bytes.remaining() / Short.BYTES];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Fp16Conversions.fp16ToFloat(bytes.getShort());
                }
                yield new Tensor(name, datatype, shape, out);
            }
            case INT8, UINT8 -> {
                ByteBuffer bytes = value.getByteBuffer();
                int[] out = new int[bytes.remaining()];
                for (int i = 0; i < out.length; i++) {
                    byte b = bytes.get();
                    out[i] = datatype == DataType.INT8 ? b : b & 0xFF;
                }
                yield new Tensor(name, datatype, shape, out);
            }
            case BOOL -> {
                ByteBuffer bytes = value.getByteBuffer();
                boolean[] out = new boolean[bytes.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes.get() != 0;
                }
                yield new Tensor(name, datatype, shape, out);
            }
            default -> throw new IllegalStateException("output '" + name + "': " + datatype + " is not served");
        };
    }

    /** ONNX Runtime copies an output into a fresh heap buffer: its array is taken as it is when it fits exactly. */
    private static float[] floats(FloatBuffer buffer) {
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
