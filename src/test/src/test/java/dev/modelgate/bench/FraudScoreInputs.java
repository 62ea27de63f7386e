package dev.modelgate.bench;

import dev.modelgate.inference.demo.FraudScoreParameters;
import dev.modelgate.inference.demo.FraudScoreReference;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.List;

/**
 * The demo model's example transactions ({@code demo/fraud-score.json}): the inputs every benchmark
 * sends, round-robin, and the scores they must get back, since timing wrong answers would be worthless.
 */
final class FraudScoreInputs {

    /** The same bound {@code FraudScoreModelTest} holds the served FP32 model to against the double formula. */
    private static final double TOLERANCE = 1e-6;

    private final FraudScoreReference reference;
    private final List<float[]> rows;

    private FraudScoreInputs(FraudScoreReference reference) {
        this.reference = reference;
        this.rows = reference.parameters().examples().stream().map(FraudScoreParameters.Example::features).toList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("demo/fraud-score.json has no examples to send");
        }
    }

    /** Reads the folder named by {@code -Dmodelgate.demo.dir}. */
    static FraudScoreInputs loadDemo() throws IOException {
        return new FraudScoreInputs(FraudScoreReference.loadDemo());
    }

    int size() {
        return rows.size();
    }

    String inputName() {
        return reference.parameters().inputName();
    }

    String outputName() {
        return reference.parameters().outputName();
    }

    int featureCount() {
        return reference.parameters().featureCount();
    }

    /** Example {@code sequence mod size()}. */
    float[] row(long sequence) {
        return rows.get(Math.floorMod(sequence, rows.size()));
    }

    /** {@code size} consecutive examples from {@code first}, flattened row-major as the engine takes them. */
    float[] batch(long first, int size) {
        int width = featureCount();
        float[] batch = new float[size * width];
        for (int i = 0; i < size; i++) {
            System.arraycopy(row(first + i), 0, batch, i * width, width);
        }
        return batch;
    }

    /** The Open Inference Protocol request for example {@code sequence mod size()}. */
    String requestBody(long sequence) {
        JsonArray data = new JsonArray();
        for (float value : row(sequence)) {
            data.add(value);
        }
        JsonObject input = new JsonObject()
                .put("name", inputName())
                .put("datatype", "FP32")
                .put("shape", new JsonArray().add(1).add(featureCount()))
                .put("data", data);
        return new JsonObject().put("inputs", new JsonArray().add(input)).encode();
    }

    /** Fails, naming {@code path}, unless {@code score} is what the model must answer for example {@code sequence}. */
    void checkScore(long sequence, double score, String path) {
        double expected = reference.probability(row(sequence));
        if (!(Math.abs(score - expected) <= TOLERANCE)) {
            throw new IllegalStateException(path + ": example " + Math.floorMod(sequence, rows.size()) + " scored "
                    + score + ", expected " + expected + " (+/- " + TOLERANCE + ")");
        }
    }
}
