package dev.modelgate.bench;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.modelgate.inference.testmodels.OnnxGraphBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the ONNX model of the batching benchmark's "production-sized" case, so no model file is checked
 * in: a multilayer perceptron {@code features [batch, F] -> (MatMul, Add, Relu) x L -> MatMul, Add, Sigmoid
 * -> score [batch, 1]} with seeded random weights, whose cost per row is set by its width. The demo model
 * costs about a microsecond per row, so it measures HTTP overhead rather than batching; this one costs what
 * a small tabular network does. Also writes {@code mlp-bench-examples.json}: rows and the probability each
 * must get, computed here in plain double-precision Java, independently of ONNX Runtime.
 *
 * <p>System properties (defaults): {@code bench.dir} (required), {@code bench.features} (12),
 * {@code bench.hidden} (256), {@code bench.layers} (2), {@code bench.examples} (64).
 */
public final class MlpBenchModel {

    static final String MODEL_FILE = "mlp-bench.onnx";
    static final String EXAMPLES_FILE = "mlp-bench-examples.json";
    private static final String INPUT = "features";
    private static final String OUTPUT = "score";
    private static final long WEIGHTS_SEED = 3;
    private static final long EXAMPLES_SEED = 4;
    /** FP32 accumulation in the engine against double here, over a few hundred terms per unit. */
    private static final double TOLERANCE = 1e-4;

    private MlpBenchModel() {
    }

    public static void main(String[] args) throws Exception {
        String dir = BenchProperties.string("bench.dir", null);
        if (dir == null) {
            throw new IllegalArgumentException("bench.dir must name the folder to write the model to");
        }
        int features = BenchProperties.positiveInt("bench.features", 12);
        int hidden = BenchProperties.positiveInt("bench.hidden", 256);
        int layers = BenchProperties.positiveInt("bench.layers", 2);
        int exampleCount = BenchProperties.positiveInt("bench.examples", 64);
        Path folder = Files.createDirectories(Path.of(dir));

        Random random = new Random(WEIGHTS_SEED);
        List<float[][]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        int width = features;
        for (int layer = 0; layer <= layers; layer++) {
            int out = layer == layers ? 1 : hidden;
            // He initialisation keeps activations O(1) through the ReLUs; the output layer is damped so the
            // probabilities spread over (0, 1) instead of saturating
            double scale = Math.sqrt(2.0 / width) * (layer == layers ? 0.25 : 1.0);
            weights.add(gaussian(random, width, out, scale));
            biases.add(gaussian(random, 1, out, 0.05)[0]);
            width = out;
        }

        OnnxGraphBuilder graph = new OnnxGraphBuilder("mlp_bench")
                .input(INPUT, DataType.FLOAT, -1, features)
                .output(OUTPUT, DataType.FLOAT, -1, 1);
        String activation = INPUT;
        for (int layer = 0; layer <= layers; layer++) {
            float[][] w = weights.get(layer);
            String suffix = Integer.toString(layer);
            graph.floats("w" + suffix, new long[] {w.length, w[0].length}, flatten(w))
                    .floats("b" + suffix, new long[] {w[0].length}, biases.get(layer))
                    .node("MatMul", List.of(activation, "w" + suffix), List.of("mm" + suffix))
                    .node("Add", List.of("mm" + suffix, "b" + suffix), List.of("z" + suffix));
            if (layer < layers) {
                graph.node("Relu", List.of("z" + suffix), List.of("h" + suffix));
                activation = "h" + suffix;
            } else {
                graph.node("Sigmoid", List.of("z" + suffix), List.of(OUTPUT));
            }
        }
        Files.write(folder.resolve(MODEL_FILE), graph.build("modelgate-bench").toByteArray());

        Random rows = new Random(EXAMPLES_SEED);
        List<float[]> examples = new ArrayList<>(exampleCount);
        double[] scores = new double[exampleCount];
        for (int i = 0; i < exampleCount; i++) {
            float[] row = gaussian(rows, 1, features, 1.0)[0];
            examples.add(row);
            scores[i] = forward(row, weights, biases);
        }
        new EngineExamples(INPUT, OUTPUT, examples, scores, TOLERANCE).write(folder.resolve(EXAMPLES_FILE));
        System.out.printf("wrote a %d-feature MLP, %d hidden layer(s) of %d units, to %s, %d examples in %s%n",
                features, layers, hidden, folder.resolve(MODEL_FILE), exampleCount, folder.resolve(EXAMPLES_FILE));
    }

    /** The network's function, in double precision: what ONNX Runtime must reproduce. */
    private static double forward(float[] row, List<float[][]> weights, List<float[]> biases) {
        double[] activation = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            activation[i] = row[i];
        }
        for (int layer = 0; layer < weights.size(); layer++) {
            float[][] w = weights.get(layer);
            double[] next = new double[w[0].length];
            for (int j = 0; j < next.length; j++) {
                double sum = biases.get(layer)[j];
                for (int i = 0; i < activation.length; i++) {
                    sum += activation[i] * w[i][j];
                }
                next[j] = layer < weights.size() - 1 ? Math.max(0, sum) : 1 / (1 + Math.exp(-sum));
            }
            activation = next;
        }
        return activation[0];
    }

    private static float[][] gaussian(Random random, int rows, int columns, double scale) {
        float[][] values = new float[rows][columns];
        for (float[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = (float) (random.nextGaussian() * scale);
            }
        }
        return values;
    }

    private static float[] flatten(float[][] matrix) {
        float[] flat = new float[matrix.length * matrix[0].length];
        for (int i = 0; i < matrix.length; i++) {
            System.arraycopy(matrix[i], 0, flat, i * matrix[0].length, matrix[0].length);
        }
        return flat;
    }
}
