package dev.modelgate.inference.testmodels;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto;

import java.util.Arrays;
import java.util.List;

/**
 * Builds small ONNX models in memory, so tests need no model files and know the exact function
 * each model computes. A dimension of -1 becomes a symbolic one: {@code batch} first, then {@code d1, d2...}.
 * Serialisation is deterministic: the same calls give the same bytes.
 */
public final class OnnxGraphBuilder {

    /** IR 8 / opset 17 (ONNX 1.12): old enough for any ONNX Runtime from 1.12 on. */
    private static final long IR_VERSION = 8;
    private static final long OPSET = 17;

    private final OnnxMl.GraphProto.Builder graph;

    public OnnxGraphBuilder(String graphName) {
        graph = OnnxMl.GraphProto.newBuilder().setName(graphName);
    }

    public OnnxGraphBuilder input(String name, TensorProto.DataType type, long... shape) {
        graph.addInput(valueInfo(name, type, shape));
        return this;
    }

    public OnnxGraphBuilder output(String name, TensorProto.DataType type, long... shape) {
        graph.addOutput(valueInfo(name, type, shape));
        return this;
    }

    public OnnxGraphBuilder node(String opType, List<String> inputs, List<String> outputs) {
        graph.addNode(OnnxMl.NodeProto.newBuilder()
                .setOpType(opType)
                .setName(opType + "_" + graph.getNodeCount())
                .addAllInput(inputs)
                .addAllOutput(outputs));
        return this;
    }

    public OnnxGraphBuilder floats(String name, long[] shape, float... values) {
        return initializer(tensor(name, TensorProto.DataType.FLOAT, shape)
                .addAllFloatData(boxed(values)));
    }

    public OnnxGraphBuilder doubles(String name, long[] shape, double... values) {
        return initializer(tensor(name, TensorProto.DataType.DOUBLE, shape)
                .addAllDoubleData(Arrays.stream(values).boxed().toList()));
    }

    public OnnxGraphBuilder longs(String name, long[] shape, long... values) {
        return initializer(tensor(name, TensorProto.DataType.INT64, shape)
                .addAllInt64Data(Arrays.stream(values).boxed().toList()));
    }

    public OnnxMl.ModelProto build(String producer) {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(producer)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    private OnnxGraphBuilder initializer(TensorProto.Builder tensor) {
        graph.addInitializer(tensor);
        return this;
    }

    private static TensorProto.Builder tensor(String name, TensorProto.DataType type, long[] shape) {
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .addAllDims(Arrays.stream(shape).boxed().toList());
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, TensorProto.DataType type, long[] shape) {
        OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.addDim(shape[i] < 0
                    ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(i == 0 ? "batch" : "d" + i)
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(shape[i]));
        }
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber())
                        .setShape(dims)))
                .build();
    }

    private static List<Float> boxed(float[] values) {
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return Arrays.asList(out);
    }
}
