package dev.modelgate.bench;

import dev.modelgate.inference.demo.FraudScoreParameters;
import dev.modelgate.inference.demo.FraudScoreReference;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a backend benchmark sends and the score each must get back, since timing wrong answers
 * would be worthless. On disk it is a JSON file in the shape of {@code demo/fraud-score.json} where it
 * matters to {@code bench/wrk-infer.lua}: {@code "input"} names the tensor and each example carries its
 * row as a {@code "features"} array of bare numbers.
 *
 * @param inputName  the model's input tensor, {@code [rows, featureCount]} FP32
 * @param outputName the output whose first column is the score
 * @param rows       the examples, {@code featureCount} values each
 * @param scores     the expected score of each row, computed independently of the engine under test
 * @param tolerance  how far a served score may be from the expected one
 */
record EngineExamples(String inputName, String outputName, List<float[]> rows, double[] scores, double tolerance) {

    EngineExamples {
        if (inputName == null || inputName.isBlank()) {
            throw new IllegalArgumentException("inputName must not be blank");
        }
        if (outputName == null || outputName.isBlank()) {
            throw new IllegalArgumentException("outputName must not be blank");
        }
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("rows must hold at least one example");
        }
        int width = rows.get(0).length;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != width || width == 0) {
                throw new IllegalArgumentException("rows[" + i + "] has " + rows.get(i).length + " values, expected "
                        + width + " (> 0) like rows[0]");
            }
        }
        if (scores.length != rows.size()) {
            throw new IllegalArgumentException("scores must hold one value per row: " + scores.length + " for "
                    + rows.size() + " rows");
        }
        scores = scores.clone();
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        }
    }

    /** The demo model's examples, scored by its double-precision formula (as {@code FraudScoreInputs}). */
    static EngineExamples fraudScoreDemo() throws IOException {
        FraudScoreReference reference = FraudScoreReference.loadDemo();
        List<float[]> rows = reference.parameters().examples().stream().map(FraudScoreParameters.Example::features).toList();
        double[] scores = rows.stream().mapToDouble(reference::probability).toArray();
        // the bound FraudScoreModelTest holds the served FP32 model to
        return new EngineExamples(reference.parameters().inputName(), reference.parameters().outputName(), rows, scores,
                1e-6);
    }

    static EngineExamples read(Path file) throws IOException {
        JsonObject json = new JsonObject(Files.readString(file));
        List<float[]> rows = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        JsonArray examples = json.getJsonArray("examples", new JsonArray());
        for (int i = 0; i < examples.size(); i++) {
            JsonObject example = examples.getJsonObject(i);
            JsonArray features = example.getJsonArray("features");
            float[] row = new float[features.size()];
            for (int j = 0; j < row.length; j++) {
                row[j] = features.getFloat(j);
            }
            rows.add(row);
            scores.add(example.getDouble("score"));
        }
        return new EngineExamples(json.getString("input"), json.getString("output"), rows,
                scores.stream().mapToDouble(Double::doubleValue).toArray(), json.getDouble("tolerance", 0.0));
    }

    void write(Path file) throws IOException {
        JsonArray examples = new JsonArray();
        for (int i = 0; i < rows.size(); i++) {
            JsonArray features = new JsonArray();
            for (float value : rows.get(i)) {
                features.add(value);
            }
            examples.add(new JsonObject().put("features", features).put("score", scores[i]));
        }
        Files.writeString(file, new JsonObject().put("input", inputName).put("output", outputName)
                .put("tolerance", tolerance).put("examples", examples).encodePrettily());
    }

    int size() {
        return rows.size();
    }

    int featureCount() {
        return rows.get(0).length;
    }

    /** {@code size} consecutive examples from {@code first} (wrapping round), flattened row-major. */
    float[] batch(int first, int size) {
        int width = featureCount();
        float[] batch = new float[size * width];
        for (int i = 0; i < size; i++) {
            System.arraycopy(rows.get(Math.floorMod(first + i, rows.size())), 0, batch, i * width, width);
        }
        return batch;
    }

    /** The Open Inference Protocol request for example {@code index}, one row. */
    String requestBody(int index) {
        JsonArray data = new JsonArray();
        for (float value : rows.get(Math.floorMod(index, rows.size()))) {
            data.add(value);
        }
        JsonObject input = new JsonObject().put("name", inputName).put("datatype", "FP32")
                .put("shape", new JsonArray().add(1).add(featureCount())).put("data", data);
        return new JsonObject().put("inputs", new JsonArray().add(input)).encode();
    }

    /** The first value of output {@code outputName} in an Open Inference Protocol response. */
    double score(JsonObject response) {
        for (Object output : response.getJsonArray("outputs", new JsonArray())) {
            JsonObject tensor = (JsonObject) output;
            if (outputName.equals(tensor.getString("name"))) {
                return tensor.getJsonArray("data").getDouble(0);
            }
        }
        throw new IllegalStateException("no output '" + outputName + "' in " + response.encode());
    }

    /** Fails, naming {@code path}, unless {@code score} is what example {@code index} must score. */
    void checkScore(int index, double score, String path) {
        double expected = scores[Math.floorMod(index, rows.size())];
        if (!(Math.abs(score - expected) <= tolerance)) {
            throw new IllegalStateException(path + ": example " + Math.floorMod(index, rows.size()) + " scored " + score
                    + ", expected " + expected + " (+/- " + tolerance + ")");
        }
    }
}
