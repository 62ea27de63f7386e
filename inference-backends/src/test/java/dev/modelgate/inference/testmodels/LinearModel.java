package dev.modelgate.inference.testmodels;

import ai.onnx.proto.OnnxMl.TensorProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code y = x · W + b} with {@code x: FP32 [-1, 3]}, {@code y: FP32 [-1, 2]} and a second output
 * {@code z = 2y}, written as an ONNX graph, with the same function in plain Java as the reference.
 *
 * @param w row-major [3, 2]
 * @param b [2]
 */
public record LinearModel(float[] w, float[] b) {

    public static final int IN = 3;
    public static final int OUT = 2;

    public Path writeOnnx(Path file) throws IOException {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("linear")
                .input("x", TensorProto.DataType.FLOAT, -1, IN)
                .output("y", TensorProto.DataType.FLOAT, -1, OUT)
                .output("z", TensorProto.DataType.FLOAT, -1, OUT)
                .floats("W", new long[] {IN, OUT}, w)
                .floats("b", new long[] {OUT}, b)
                .floats("two", new long[] {1}, 2f)
                .node("MatMul", List.of("x", "W"), List.of("xw"))
                .node("Add", List.of("xw", "b"), List.of("y"))
                .node("Mul", List.of("y", "two"), List.of("z"));
        return Files.write(file, graph.build("test").toByteArray());
    }

    /** {@code y} for each row of {@code x}, row-major, in double precision. */
    public double[] y(float[] x) {
        int rows = x.length / IN;
        double[] y = new double[rows * OUT];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < OUT; j++) {
                double sum = b[j];
                for (int k = 0; k < IN; k++) {
                    sum += (double) x[r * IN + k] * w[k * OUT + j];
                }
                y[r * OUT + j] = sum;
            }
        }
        return y;
    }
}
