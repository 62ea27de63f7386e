package dev.modelgate.bench;

import dev.modelgate.inference.testmodels.XgboostModels;
import ml.dmlc.xgboost4j.java.Booster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains the XGBoost model the batching benchmark serves, so no model file is checked in: a binary
 * classifier on synthetic standard-normal rows ({@link XgboostModels#binary}), saved as
 * {@code xgboost-bench.json}, plus {@code xgboost-bench-examples.json}: rows the benchmark sends and
 * the probabilities xgboost4j itself predicts for them, which the served model must reproduce.
 *
 * <p>Needs {@code ml.dmlc:xgboost4j_2.12} (and kryo) on the class path: DJL's XGBoost jar lacks the
 * training classes ({@code Booster}), and the e2e module does not depend on xgboost4j. That is why this
 * file lives under {@code bench/xgboost/}, compiled by {@code scripts/bench-backends.sh} with
 * inference-backends' test class path, instead of beside the other benchmarks, where it would break the
 * e2e module's build. System properties (defaults): {@code bench.dir} (required), {@code bench.features} (12),
 * {@code bench.rounds} (100), {@code bench.trainingRows} (5000), {@code bench.examples} (64).
 */
public final class XgboostBenchModel {

    static final String MODEL_FILE = "xgboost-bench.json";
    static final String EXAMPLES_FILE = "xgboost-bench-examples.json";
    /** Triton FIL's names, which XgboostBackend serves the model under. */
    private static final String INPUT = "input__0";
    private static final String OUTPUT = "output__0";
    private static final long TRAINING_SEED = 1;
    private static final long EXAMPLES_SEED = 2;
    /** Same library and model on both sides: only float summation order could differ. */
    private static final double TOLERANCE = 1e-6;

    private XgboostBenchModel() {
    }

    public static void main(String[] args) throws Exception {
        String dir = BenchProperties.string("bench.dir", null);
        if (dir == null) {
            throw new IllegalArgumentException("bench.dir must name the folder to write the model to");
        }
        int features = BenchProperties.positiveInt("bench.features", 12);
        int rounds = BenchProperties.positiveInt("bench.rounds", 100);
        int trainingRows = BenchProperties.positiveInt("bench.trainingRows", 5000);
        int exampleCount = BenchProperties.positiveInt("bench.examples", 64);
        Path folder = Files.createDirectories(Path.of(dir));

        Booster booster = XgboostModels.binary(XgboostModels.features(trainingRows, features, TRAINING_SEED), features,
                rounds);
        XgboostModels.save(booster, folder.resolve(MODEL_FILE));
        float[] flat = XgboostModels.features(exampleCount, features, EXAMPLES_SEED);
        float[][] predicted = XgboostModels.predict(booster, flat, features, false);
        List<float[]> rows = new ArrayList<>(exampleCount);
        double[] scores = new double[exampleCount];
        for (int i = 0; i < exampleCount; i++) {
            float[] row = new float[features];
            System.arraycopy(flat, i * features, row, 0, features);
            rows.add(row);
            scores[i] = predicted[i][0];
        }
        new EngineExamples(INPUT, OUTPUT, rows, scores, TOLERANCE).write(folder.resolve(EXAMPLES_FILE));
        System.out.printf("trained %d rounds on %d rows x %d features: %s, %d examples in %s%n", rounds, trainingRows,
                features, folder.resolve(MODEL_FILE), exampleCount, folder.resolve(EXAMPLES_FILE));
    }
}
