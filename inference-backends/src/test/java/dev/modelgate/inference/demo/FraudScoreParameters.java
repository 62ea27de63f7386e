package dev.modelgate.inference.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The demo fraud model as {@code demo/fraud-score.json} states it: per feature a mean and standard
 * deviation to standardise with and a weight, then a bias; plus a few example transactions.
 *
 * @param inputName  the model's input tensor, shape [-1, features]
 * @param outputName the model's output tensor, shape [-1, 1]
 */
public record FraudScoreParameters(String inputName, String outputName, List<Feature> features, double bias,
                                   List<Example> examples) {

    /** One input column: {@code weight * (x - mean) / std} is its contribution to the logit. */
    public record Feature(String name, double mean, double std, double weight) {
        public Feature {
            Objects.requireNonNull(name, "name");
            if (!(std > 0)) {
                throw new IllegalArgumentException("feature '" + name + "': std must be > 0, got " + std);
            }
        }
    }

    /** A named, realistic transaction, in feature order. */
    public record Example(String name, float[] features) {
    }

    public FraudScoreParameters {
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(outputName, "outputName");
        features = List.copyOf(features);
        examples = List.copyOf(examples);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("features must not be empty");
        }
        for (Example example : examples) {
            if (example.features().length != features.size()) {
                throw new IllegalArgumentException("example '" + example.name() + "': has " + example.features().length
                        + " features, the model has " + features.size());
            }
        }
    }

    public static FraudScoreParameters read(Path json) throws IOException {
        JsonObject doc = new JsonObject(Files.readString(json));
        List<Feature> features = new ArrayList<>();
        for (Object item : doc.getJsonArray("features")) {
            JsonObject feature = (JsonObject) item;
            features.add(new Feature(feature.getString("name"), feature.getDouble("mean"), feature.getDouble("std"),
                    feature.getDouble("weight")));
        }
        List<Example> examples = new ArrayList<>();
        for (Object item : doc.getJsonArray("examples")) {
            JsonObject example = (JsonObject) item;
            examples.add(new Example(example.getString("name"), toFloats(example.getJsonArray("features"))));
        }
        return new FraudScoreParameters(doc.getString("input"), doc.getString("output"), features,
                doc.getDouble("bias"), examples);
    }

    public int featureCount() {
        return features.size();
    }

    public List<String> featureNames() {
        return features.stream().map(Feature::name).toList();
    }

    private static float[] toFloats(JsonArray values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.getNumber(i).floatValue();
        }
        return out;
    }
}
