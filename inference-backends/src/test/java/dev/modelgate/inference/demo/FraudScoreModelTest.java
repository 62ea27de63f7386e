package dev.modelgate.inference.demo;

import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.onnx.OnnxRuntimeBackend;
import dev.modelgate.inference.onnx.OnnxRuntimeSettings;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The bundled demo model is what its JSON says, and serves what the plain formula computes. */
class FraudScoreModelTest {

    private static Vertx vertx;
    private static FraudScoreReference reference;
    private static OnnxRuntimeBackend backend;

    @BeforeAll
    static void load() throws IOException {
        vertx = Vertx.vertx();
        reference = FraudScoreReference.loadDemo();
        backend = Await.result(OnnxRuntimeBackend.load(vertx, OnnxRuntimeSettings.of("fraud-score", DemoFiles.fraudScoreOnnx())));
    }

    @AfterAll
    static void close() {
        Await.result(backend.closeAsync());
        Await.result(vertx.close());
    }

    @Test
    void committedModelIsExactlyWhatTheGeneratorMakesFromTheJson() throws IOException {
        assertThat(Files.readAllBytes(DemoFiles.fraudScoreOnnx()))
                .as("demo/fraud-score.onnx is stale: regenerate it (demo/README.md)")
                .isEqualTo(FraudScoreModelGenerator.generate(reference.parameters()));
    }

    @Test
    void committedChallengerIsExactlyWhatTheGeneratorMakesFromItsJson() throws IOException {
        assertThat(Files.readAllBytes(DemoFiles.challengerOnnx()))
                .as("demo/fraud-score-v2.onnx is stale: regenerate it (demo/README.md)")
                .isEqualTo(FraudScoreModelGenerator.generate(FraudScoreParameters.read(DemoFiles.challengerJson())));
    }

    @Test
    void referenceFormulaAgreesWithSciPy() {
        // python3 -c "
        // import json, numpy as np
        // from scipy.special import expit
        // d = json.load(open('demo/fraud-score.json'))
        // m = np.array([f['mean'] for f in d['features']]); s = np.array([f['std'] for f in d['features']]); w = np.array([f['weight'] for f in d['features']])
        // X = np.array([e['features'] for e in d['examples']], dtype=np.float32).astype(np.float64)
        // print(expit(((X - m) / s) @ w + d['bias']).tolist())
        // "
        // [0.00048015367267333406, 0.005243875596282434, 0.9988034238779689, 0.8531188814011177, 0.008703178998729135]
        double[] scipy = {0.00048015367267333406, 0.005243875596282434, 0.9988034238779689, 0.8531188814011177,
                0.008703178998729135};
        List<FraudScoreParameters.Example> examples = reference.parameters().examples();
        assertThat(examples).hasSize(scipy.length);
        for (int i = 0; i < scipy.length; i++) {
            assertThat(reference.probability(examples.get(i).features())).as(examples.get(i).name())
                    .isCloseTo(scipy[i], within(1e-12));
        }
    }

    @Test
    void declaresTwelveNamedFeaturesInAndOneProbabilityOut() {
        assertThat(reference.parameters().featureNames()).containsExactly("amount", "account_age_days", "tx_count_24h",
                "avg_amount_30d", "distance_from_home_km", "is_foreign", "hour_of_day", "merchant_risk", "card_present",
                "failed_logins_7d", "device_age_days", "velocity_ratio");
        assertThat(backend.metadata().inputs()).containsExactly(new TensorSpec("features", DataType.FP32, new long[] {-1, 12}));
        assertThat(backend.metadata().outputs())
                .containsExactly(new TensorSpec("fraud_probability", DataType.FP32, new long[] {-1, 1}));
    }

    @Test
    void servesTheExampleTransactionsAsTheFormulaScoresThem() {
        List<float[]> rows = reference.parameters().examples().stream().map(FraudScoreParameters.Example::features).toList();
        assertServedMatchesReference(rows);
    }

    @Test
    void servesAThousandRandomTransactionsAsTheFormulaScoresThem() {
        Random random = new Random(20_240_601);
        List<FraudScoreParameters.Feature> features = reference.parameters().features();
        List<float[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            float[] row = new float[features.size()];
            for (int j = 0; j < row.length; j++) {
                // up to ~3 standard deviations either side covers the whole sigmoid, saturated ends included
                row[j] = (float) (features.get(j).mean() + 1.5 * features.get(j).std() * random.nextGaussian());
            }
            rows.add(row);
        }
        assertServedMatchesReference(rows);
    }

    private static void assertServedMatchesReference(List<float[]> rows) {
        int n = reference.parameters().featureCount();
        float[] batch = new float[rows.size() * n];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, batch, i * n, n);
        }
        Tensor input = Tensor.ofFloats("features", new long[] {rows.size(), n}, batch);
        Tensor output = Await.result(backend.infer(new InferenceRequest("batch", List.of(input), List.of()))).outputs().get(0);

        assertThat(output.name()).isEqualTo("fraud_probability");
        assertThat(output.shape()).containsExactly(rows.size(), 1);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(output.getDouble(i)).as("row %d", i).isCloseTo(reference.probability(rows.get(i)), within(1e-6));
        }
    }
}
