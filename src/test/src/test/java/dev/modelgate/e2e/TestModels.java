package dev.modelgate.e2e;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Model files the end-to-end tests derive from the demo model. */
final class TestModels {

    private TestModels() {}

    /**
     * The demo model with its batch dimension fixed to 1: identical answers for single-row requests,
     * refused for larger batches. A variant that "starts failing" when the traffic mix changes.
     */
    static Path singleRowDemo(Path dir) throws IOException {
        OnnxMl.ModelProto demo = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(GatewayProcess.REPO.resolve("demo/fraud-score.onnx")));
        OnnxMl.GraphProto.Builder graph = demo.getGraph().toBuilder();
        for (int i = 0; i < graph.getInputCount(); i++) {
            graph.setInput(i, fixFirstDimension(graph.getInput(i)));
        }
        for (int i = 0; i < graph.getOutputCount(); i++) {
            graph.setOutput(i, fixFirstDimension(graph.getOutput(i)));
        }
        Path file = dir.resolve("fraud-score-single-row.onnx");
        Files.write(file, demo.toBuilder().setGraph(graph).build().toByteArray());
        return file;
    }

    private static OnnxMl.ValueInfoProto fixFirstDimension(OnnxMl.ValueInfoProto value) {
        OnnxMl.ValueInfoProto.Builder builder = value.toBuilder();
        builder.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).clearDimParam().setDimValue(1);
        return builder.build();
    }
}
