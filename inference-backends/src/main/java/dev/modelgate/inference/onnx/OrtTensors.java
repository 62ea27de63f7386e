package dev.modelgate.inference.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.FixedWidthElements;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The protocol's tensors to ONNX Runtime's and back, over direct buffers that each worker thread keeps.
 * ONNX Runtime reads an input's direct buffer in place and writes a "pinned" output straight into the
 * buffer of a tensor the caller made. A thread keeps the ORT tensors of its last call and reuses them
 * while the next call has the same shapes, which it nearly always has (one row per request, or the
 * batcher's size). That spares, on every call, creating and closing an ORT value per input and ORT's
 * JNI construction of each output object (class and method looked up by name each time): a third of the
 * engine thread's time on a one-row call of the demo model.
 */
final class OrtTensors implements AutoCloseable {

    /**
     * What the backend feeds and reads back: ONNX Runtime's Java API has no unsigned 16/32/64-bit tensors,
     * and INT16/UINT16 are left out as the other engines leave them out.
     */
    static final Set<DataType> SUPPORTED = Set.copyOf(EnumSet.of(DataType.BOOL, DataType.INT8, DataType.UINT8,
            DataType.INT32, DataType.INT64, DataType.FP16, DataType.FP32, DataType.FP64));
    /** Outputs written into a tensor of ours: fixed-width types read back without conversion. */
    private static final Set<DataType> PINNABLE = Set.copyOf(EnumSet.of(DataType.FP32, DataType.FP64, DataType.INT32,
            DataType.INT64));

    private final OrtEnvironment environment;
    private final int inputs;
    private final ThreadLocal<ThreadTensors> perThread;
    /** Every thread's tensors, to close with the session. */
    private final Set<ThreadTensors> all = ConcurrentHashMap.newKeySet();

    OrtTensors(OrtEnvironment environment, int inputs) {
        this.environment = environment;
        this.inputs = inputs;
        this.perThread = ThreadLocal.withInitial(this::newThreadTensors);
    }

    private ThreadTensors newThreadTensors() {
        ThreadTensors tensors = new ThreadTensors(new Reusable[inputs], new HashMap<>());
        all.add(tensors);
        return tensors;
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
     * An ONNX tensor holding {@code tensor}, for input {@code slot}: this thread's, valid until its next
     * call for the same slot. Not to be closed by the caller.
     */
    OnnxTensor toOnnx(int slot, Tensor tensor) throws OrtException {
        Reusable[] slots = perThread.get().inputs();
        Reusable reusable = reusable(slots[slot], tensor.shape(), javaType(tensor));
        slots[slot] = reusable;
        ByteBuffer buffer = reusable.buffer().clear();
        Object data = tensor.data();
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
        buffer.rewind();
        return reusable.tensor();
    }

    /**
     * A tensor of this thread's for ONNX Runtime to write output {@code spec} into, for a call on
     * {@code rows} rows; empty when its shape is not known before the call (a variable dimension other
     * than the first) or its type is not {@link #PINNABLE}. The first dimension is taken to be the rows:
     * when the model's output differs, ONNX Runtime refuses the call rather than write past the buffer.
     */
    Optional<OnnxTensor> pinnedOutput(TensorSpec spec, long rows) throws OrtException {
        if (!PINNABLE.contains(spec.datatype())) {
            return Optional.empty();
        }
        long[] shape = spec.shape().clone();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                if (i > 0) {
                    return Optional.empty();
                }
                shape[i] = rows;
            }
        }
        Map<String, Reusable> outputs = perThread.get().outputs();
        Reusable reusable = reusable(outputs.get(spec.name()), shape, javaType(spec.datatype(), spec.name()));
        outputs.put(spec.name(), reusable);
        return Optional.of(reusable.tensor());
    }

    /** What ONNX Runtime wrote into this thread's pinned tensor for output {@code spec}, as the protocol's tensor. */
    Tensor readPinned(TensorSpec spec) {
        Reusable pinned = perThread.get().outputs().get(spec.name());
        int count = Math.toIntExact(Tensor.elementCount(pinned.shape()));
        return new Tensor(spec.name(), spec.datatype(), pinned.shape().clone(),
                FixedWidthElements.copy(spec.datatype(), pinned.buffer().clear(), count));
    }

    /** {@code current} if it has this shape and type, else a new one in its place (closing it). */
    private Reusable reusable(Reusable current, long[] shape, OnnxJavaType type) throws OrtException {
        if (current != null && current.type() == type && Arrays.equals(current.shape(), shape)) {
            return current;
        }
        int bytes = Math.multiplyExact(Math.toIntExact(Tensor.elementCount(shape)), type.size);
        ByteBuffer buffer = current != null && current.buffer().capacity() >= bytes ? current.buffer()
                : ByteBuffer.allocateDirect(Math.max(bytes, 64)).order(ByteOrder.nativeOrder());
        if (current != null) {
            current.tensor().close();
        }
        buffer.clear().limit(bytes);
        long[] ownShape = shape.clone();
        return new Reusable(ownShape, type, buffer, OnnxTensor.createTensor(environment, buffer, ownShape, type));
    }

    /** Closes every thread's tensors; only once no call is running. */
    @Override
    public void close() {
        for (ThreadTensors tensors : all) {
            for (Reusable input : tensors.inputs()) {
                if (input != null) {
                    input.tensor().close();
                }
            }
            tensors.outputs().values().forEach(output -> output.tensor().close());
        }
        all.clear();
    }

    private static OnnxJavaType javaType(Tensor tensor) {
        return javaType(tensor.datatype(), tensor.name());
    }

    private static OnnxJavaType javaType(DataType datatype, String name) {
        return switch (datatype) {
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case FP16 -> OnnxJavaType.FLOAT16;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            default -> throw new IllegalArgumentException("tensor '" + name + "': " + datatype
                    + " is not served by the ONNX Runtime backend, which serves " + SUPPORTED);
        };
    }

    /** An output of the model as the protocol's tensor named {@code name}. */
    static Tensor toTensor(String name, OnnxTensor value) {
        TensorInfo info = value.getInfo();
        long[] shape = info.getShape();
        DataType datatype = datatypeOf(info.onnxType).orElseThrow(() -> new IllegalStateException("output '" + name
                + "': the model returned " + info.onnxType + ", which is not one of " + SUPPORTED));
        if (PINNABLE.contains(datatype)) {
            return new Tensor(name, datatype, shape, FixedWidthElements.copy(datatype, value.getByteBuffer().order(ByteOrder.nativeOrder()),
                    Math.toIntExact(info.getNumElements())));
        }
        return switch (datatype) {
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

    /** An ORT tensor over a direct buffer of ours, with the shape and type it was made for. */
    private record Reusable(long[] shape, OnnxJavaType type, ByteBuffer buffer, OnnxTensor tensor) {
    }

    /** One worker thread's tensors: by input position, and by output name. */
    private record ThreadTensors(Reusable[] inputs, Map<String, Reusable> outputs) {
    }
}
