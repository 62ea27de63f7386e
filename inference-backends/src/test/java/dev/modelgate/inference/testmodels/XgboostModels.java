package dev.modelgate.inference.testmodels;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Trains small XGBoost models on deterministic synthetic data with xgboost4j (the library that also
 * computes the reference predictions), so no model file is checked in or downloaded.
 */
public final class XgboostModels {

    private XgboostModels() {
    }

    /** {@code rows × features} standard normal values from a fixed seed, row-major. */
    public static float[] features(int rows, int features, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * features];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** Label 1 when {@code x0 + 0.5 x1 - x2 > 0}. */
    public static Booster binary(float[] x, int features, int rounds) throws XGBoostError {
        int rows = x.length / features;
        float[] labels = new float[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = x[i * features] + 0.5f * x[i * features + 1] - x[i * features + 2] > 0 ? 1 : 0;
        }
        return train(x, features, labels, Map.of("objective", "binary:logistic", "max_depth", 3, "eta", 0.3), rounds);
    }

    /** Three classes by which of {@code x0, x1, x2} is largest. */
    public static Booster threeClasses(float[] x, int features, int rounds) throws XGBoostError {
        int rows = x.length / features;
        float[] labels = new float[rows];
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int j = 1; j < 3; j++) {
                if (x[i * features + j] > x[i * features + best]) {
                    best = j;
                }
            }
            labels[i] = best;
        }
        return train(x, features, labels,
                Map.of("objective", "multi:softprob", "num_class", 3, "max_depth", 3, "eta", 0.3), rounds);
    }

    private static Booster train(float[] x, int features, float[] labels, Map<String, Object> objective, int rounds)
            throws XGBoostError {
        DMatrix data = new DMatrix(x, labels.length, features, Float.NaN);
        data.setLabel(labels);
        Map<String, Object> params = new HashMap<>(objective);
        params.put("nthread", 1);
        params.put("seed", 0);
        return XGBoost.train(data, params, rounds, Map.of(), null, null);
    }

    public static Path save(Booster booster, Path file) throws XGBoostError {
        booster.saveModel(file.toString());
        return file;
    }

    /** xgboost4j's own predictions for {@code x}: the reference the served model must match. */
    public static float[][] predict(Booster booster, float[] x, int features, boolean margin) throws XGBoostError {
        return booster.predict(new DMatrix(x, x.length / features, features, Float.NaN), margin);
    }
}
