package dev.modelgate.inference.xgboost;

import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.djl.DjlModelSettings;
import dev.modelgate.inference.testmodels.Await;
import dev.modelgate.inference.testmodels.XgboostModels;
import io.vertx.core.Vertx;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

/**
 * Models trained here with xgboost4j 3.0.4; the reference for every served prediction is that same
 * library's {@code Booster.predict} on the same rows.
 */
class XgboostBackendTest {

    private static final int FEATURES = 5;
    private static final int ROWS = 8;

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static Booster binary;
    private static Booster threeClasses;
    private static float[] rows;

    @BeforeAll
    static void train() throws Exception {
        vertx = Vertx.vertx();
        float[] training = XgboostModels.features(300, FEATURES, 11);
        binary = XgboostModels.binary(training, FEATURES, 20);
        threeClasses = XgboostModels.threeClasses(training, FEATURES, 15);
        rows = XgboostModels.features(ROWS, FEATURES, 99);
        rows[3] = Float.NaN; // a missing value takes the trees' default branch in both
    }

    @AfterAll
    static void stop() {
        Await.result(vertx.close());
    }

    @Test
    void binaryLogisticJsonServesBoosterProbabilities() throws Exception {
        Path file = XgboostModels.save(binary, dir.resolve("binary.json"));
        XgboostBackend backend = Await.result(XgboostBackend.load(vertx, XgboostSettings.of("churn", file)));

        float[] served = infer(backend, rows);

        assertThat(served).containsExactly(flatten(XgboostModels.predict(binary, rows, FEATURES, false)));
        for (float probability : served) {
            assertThat(probability).isBetween(0f, 1f);
        }
        Await.result(backend.closeAsync());
    }

    @Test
    void marginOutputServesTheRawScore() throws Exception {
        Path file = XgboostModels.save(binary, dir.resolve("binary-margin.json"));
        XgboostBackend backend = Await.result(XgboostBackend.load(vertx,
                XgboostSettings.of("churn", file).withOutput(XgboostOutput.MARGIN)));

        float[] served = infer(backend, rows);

        assertThat(served).containsExactly(flatten(XgboostModels.predict(binary, rows, FEATURES, true)));
        // binary:logistic's link: the probability is the logistic function of the margin
        float[] probabilities = flatten(XgboostModels.predict(binary, rows, FEATURES, false));
        for (int i = 0; i < served.length; i++) {
            assertThat(1 / (1 + Math.exp(-served[i]))).isCloseTo(probabilities[i], within(1e-6));
        }
        Await.result(backend.closeAsync());
    }

    @Test
    void multiClassUbjsonServesOneProbabilityPerClassAndReportsTheRealShape() throws Exception {
        Path file = XgboostModels.save(threeClasses, dir.resolve("classes.ubj"));
        XgboostBackend backend = Await.result(XgboostBackend.load(vertx,
                new XgboostSettings(DjlModelSettings.of("species", file).withInstances(2), XgboostOutput.PREDICTION)));

        Tensor output = Await.result(backend.infer(request(rows))).outputs().get(0);

        float[][] reference = XgboostModels.predict(threeClasses, rows, FEATURES, false);
        assertThat(output.shape()).containsExactly(ROWS, 3);
        assertThat((float[]) output.data()).containsExactly(flatten(reference));
        ModelMetadata metadata = backend.metadata();
        assertThat(metadata.platform()).isEqualTo("xgboost");
        assertThat(metadata.inputs()).containsExactly(new TensorSpec("input__0", DataType.FP32, new long[] {-1, FEATURES}));
        assertThat(metadata.outputs()).containsExactly(new TensorSpec("output__0", DataType.FP32, new long[] {-1, 3}));
        Await.result(backend.closeAsync());
    }

    @Test
    void binaryMetadataHasOneOutputColumnAndWrongWidthIsRejected() throws Exception {
        Path file = XgboostModels.save(binary, dir.resolve("binary-meta.json"));
        XgboostBackend backend = Await.result(XgboostBackend.load(vertx, XgboostSettings.of("churn", file)));

        assertThat(backend.metadata().outputs()).containsExactly(
                new TensorSpec("output__0", DataType.FP32, new long[] {-1, 1}));
        Throwable failure = Await.failure(backend.infer(new InferenceRequest("r",
                List.of(Tensor.ofFloats("input__0", new long[] {1, 4}, new float[4])), List.of())));
        assertThat(failure).isInstanceOf(InferenceException.class).hasMessageContaining("input 'input__0'");
        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.INVALID_INPUT);
        Await.result(backend.closeAsync());
    }

    @Test
    void aCorruptFileFailsTheLoadNamingTheModel() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.json"), "{\"learner\": 42}");

        Throwable failure = Await.failure(XgboostBackend.load(vertx, XgboostSettings.of("broken", file)));

        assertThat(failure).isInstanceOf(InferenceException.class).hasMessageContaining("model 'broken'");
        assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
    }

    @Test
    void settingsRejectOtherFileFormats() {
        assertThat(catchThrowable(
                () -> XgboostSettings.of("m", Path.of("model.bin"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modelPath");
        assertThat(XgboostOutput.parse("Margin")).isEqualTo(XgboostOutput.MARGIN);
    }

    private static float[] infer(XgboostBackend backend, float[] x) {
        Tensor output = Await.result(backend.infer(request(x))).outputs().get(0);
        assertThat(output.shape()).containsExactly(x.length / FEATURES, 1);
        return (float[]) output.data();
    }

    private static InferenceRequest request(float[] x) {
        return new InferenceRequest("r", List.of(Tensor.ofFloats("input__0", new long[] {x.length / FEATURES, FEATURES}, x)),
                List.of());
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[i].length, rows[i].length);
        }
        return flat;
    }
}
