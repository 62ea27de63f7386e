package dev.modelgate.e2e.dashboards;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ONNX model whose named output is another model's output times a constant: a shadow variant that
 * disagrees with its primary by a known amount, so shadow-agreement panels can be checked exactly.
 */
public final class ScaledScoreModel {

    private ScaledScoreModel() {
    }

    /** Writes {@code source} with {@code output} multiplied by {@code factor} to {@code target}. */
    public static Path write(Path source, String output, float factor, Path target) throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(source));
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        String unscaled = output + "_unscaled";
        boolean found = false;
        for (OnnxMl.NodeProto.Builder node : graph.getNodeBuilderList()) {
            for (int i = 0; i < node.getOutputCount(); i++) {
                if (node.getOutput(i).equals(output)) {
                    node.setOutput(i, unscaled);
                    found = true;
                }
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no node of " + source + " produces " + output);
        }
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName("scale")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addFloatData(factor));
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName("scale_output")
                .addInput(unscaled).addInput("scale").addOutput(output));
        Files.write(target, model.toBuilder().setGraph(graph).build().toByteArray());
        return target;
    }
}
