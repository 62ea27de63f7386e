package dev.modelgate.inference.oip;

import com.google.protobuf.ByteString;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.oip.proto.InferTensorContents;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelInferResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Tensors to and from the Open Inference Protocol's gRPC messages, in either encoding: typed
 * {@code contents} or {@code raw_input_contents} / {@code raw_output_contents}. Reading checks what can be
 * checked without the model, each error naming its tensor: the datatype, the shape, one encoding only,
 * and that the elements (or raw bytes) are exactly what the shape and datatype say.
 */
public final class OipTensors {

    private OipTensors() {}

    /** The request's inputs; throws {@link IllegalArgumentException} naming the input at fault. */
    public static List<Tensor> inputs(ModelInferRequest request) {
        if (request.getInputsCount() == 0) {
            throw new IllegalArgumentException("the request has no inputs");
        }
        int raw = request.getRawInputContentsCount();
        if (raw > 0 && raw != request.getInputsCount()) {
            throw new IllegalArgumentException("raw_input_contents has " + raw + " entries for " + request.getInputsCount()
                    + " inputs: one per input, in the order of inputs");
        }
        List<Tensor> tensors = new ArrayList<>(request.getInputsCount());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            String what = input.getName().isEmpty() ? "inputs[" + i + "]" : "input '" + input.getName() + "'";
            if (input.getName().isEmpty()) {
                throw new IllegalArgumentException(what + " needs a name");
            }
            if (!names.add(input.getName())) {
                throw new IllegalArgumentException(what + " appears more than once");
            }
            tensors.add(tensor(input.getName(), input.getDatatype(), input.getShapeList(), input.hasContents() ? input.getContents() : null,
                    raw > 0 ? request.getRawInputContents(i) : null, what));
        }
        return tensors;
    }

    /** The response's outputs; throws {@link IllegalArgumentException} naming the output at fault. */
    public static List<Tensor> outputs(ModelInferResponse response) {
        int raw = response.getRawOutputContentsCount();
        if (raw > 0 && raw != response.getOutputsCount()) {
            throw new IllegalArgumentException("raw_output_contents has " + raw + " entries for " + response.getOutputsCount()
                    + " outputs");
        }
        List<Tensor> tensors = new ArrayList<>(response.getOutputsCount());
        for (int i = 0; i < response.getOutputsCount(); i++) {
            ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
            tensors.add(tensor(output.getName(), output.getDatatype(), output.getShapeList(),
                    output.hasContents() ? output.getContents() : null, raw > 0 ? response.getRawOutputContents(i) : null,
                    "output '" + output.getName() + "'"));
        }
        return tensors;
    }

    /** Adds {@code tensors} as the request's inputs, raw or typed. FP16 is always sent raw, so it forces raw. */
    public static ModelInferRequest.Builder addInputs(ModelInferRequest.Builder request, List<Tensor> tensors, boolean raw) {
        add(tensors, raw, (tensor, contents) -> {
            ModelInferRequest.InferInputTensor.Builder input = request.addInputsBuilder()
                    .setName(tensor.name()).setDatatype(tensor.datatype().protocolName()).addAllShape(shape(tensor));
            if (contents != null) {
                input.setContents(contents);
            }
        }, request::addRawInputContents);
        return request;
    }

    /** Adds {@code tensors} as the response's outputs, raw or typed. FP16 is always sent raw, so it forces raw. */
    public static ModelInferResponse.Builder addOutputs(ModelInferResponse.Builder response, List<Tensor> tensors, boolean raw) {
        add(tensors, raw, (tensor, contents) -> {
            ModelInferResponse.InferOutputTensor.Builder output = response.addOutputsBuilder()
                    .setName(tensor.name()).setDatatype(tensor.datatype().protocolName()).addAllShape(shape(tensor));
            if (contents != null) {
                output.setContents(contents);
            }
        }, response::addRawOutputContents);
        return response;
    }

    /** Each tensor's description with its typed contents, or with none and its raw contents after it. */
    private static void add(List<Tensor> tensors, boolean raw, BiConsumer<Tensor, InferTensorContents> describe,
                            Consumer<ByteString> rawContents) {
        boolean asRaw = raw || tensors.stream().anyMatch(t -> t.datatype() == DataType.FP16);
        for (Tensor tensor : tensors) {
            if (asRaw) {
                describe.accept(tensor, null);
                rawContents.accept(RawContents.write(tensor.data(), tensor.datatype()));
            } else {
                describe.accept(tensor, TypedContents.write(tensor.data(), tensor.datatype()));
            }
        }
    }

    private static List<Long> shape(Tensor tensor) {
        List<Long> shape = new ArrayList<>(tensor.shape().length);
        for (long dim : tensor.shape()) {
            shape.add(dim);
        }
        return shape;
    }

    private static Tensor tensor(String name, String datatypeName, List<Long> shapeList, InferTensorContents contents, ByteString raw,
                                 String what) {
        DataType datatype = DataType.fromProtocolName(datatypeName)
                .orElseThrow(() -> new IllegalArgumentException(what + ": unknown datatype '" + datatypeName + "'"));
        long[] shape = new long[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeList.get(i);
            if (shape[i] < 0) {
                throw new IllegalArgumentException(what + ": shape " + shapeList + " has a negative dimension");
            }
        }
        long count;
        try {
            count = Tensor.elementCount(shape);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + ": shape " + shapeList + " holds too many elements");
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": shape " + shapeList + " holds too many elements");
        }
        Object data;
        if (raw != null) {
            if (contents != null && TypedContents.elementCount(contents) > 0) {
                throw new IllegalArgumentException(what + ": has both contents and raw contents; send one of them");
            }
            data = RawContents.read(raw, datatype, (int) count, what);
        } else {
            data = TypedContents.read(contents == null ? InferTensorContents.getDefaultInstance() : contents, datatype, what);
            int actual = java.lang.reflect.Array.getLength(data);
            if (actual != count) {
                throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " needs " + count + " elements, "
                        + datatype + " contents hold " + actual);
            }
        }
        return new Tensor(name, datatype, shape, data);
    }
}
