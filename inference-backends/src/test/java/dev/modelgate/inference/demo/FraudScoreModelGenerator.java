package dev.modelgate.inference.demo;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.modelgate.inference.testmodels.OnnxGraphBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code demo/fraud-score.onnx} from {@code demo/fraud-score.json}: standardise (Sub mean,
 * Div std), MatMul weights [n, 1], Add bias, Sigmoid. Deterministic, so a test can check that the
 * committed model is exactly what the JSON describes.
 *
 * <p>Usage: {@code FraudScoreModelGenerator <fraud-score.json> <fraud-score.onnx>} (see demo/README.md).
 */
public final class FraudScoreModelGenerator {

    private FraudScoreModelGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FraudScoreModelGenerator <fraud-score.json> <fraud-score.onnx>");
            System.exit(2);
        }
        Path onnx = Path.of(args[1]);
        Files.write(onnx, generate(FraudScoreParameters.read(Path.of(args[0]))));
        System.out.println("wrote " + onnx.toAbsolutePath().normalize());
    }

    /** The serialised ONNX model for {@code parameters}. */
    public static byte[] generate(FraudScoreParameters parameters) {
        int n = parameters.featureCount();
        List<FraudScoreParameters.Feature> features = parameters.features();
        float[] means = new float[n];
        float[] stds = new float[n];
        float[] weights = new float[n];
        for (int j = 0; j < n; j++) {
            means[j] = (float) features.get(j).mean();
            stds[j] = (float) features.get(j).std();
            weights[j] = (float) features.get(j).weight();
        }
        String input = parameters.inputName();
        return new OnnxGraphBuilder("fraud_score")
                .input(input, TensorProto.DataType.FLOAT, -1, n)
                .output(parameters.outputName(), TensorProto.DataType.FLOAT, -1, 1)
                .floats("mean", new long[] {n}, means)
                .floats("std", new long[] {n}, stds)
                .floats("weights", new long[] {n, 1}, weights)
                .floats("bias", new long[] {1}, (float) parameters.bias())
                .node("Sub", List.of(input, "mean"), List.of("centered"))
                .node("Div", List.of("centered", "std"), List.of("standardized"))
                .node("MatMul", List.of("standardized", "weights"), List.of("weighted"))
                .node("Add", List.of("weighted", "bias"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of(parameters.outputName()))
                .build("modelgate FraudScoreModelGenerator")
                .toByteArray();
    }
}
