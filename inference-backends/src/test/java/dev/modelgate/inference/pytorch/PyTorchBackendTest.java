package dev.modelgate.inference.pytorch;

import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.djl.DjlModelSettings;
import dev.modelgate.inference.testmodels.Await;
import dev.modelgate.inference.testmodels.TorchScriptWriter;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

/**
 * TorchScript modules written in the test (see {@link TorchScriptWriter}) and run by libtorch; the
 * reference is the same function computed in plain Java.
 */
class PyTorchBackendTest {

    private static final float[][] W = {{0.5f, -1.25f}, {2.0f, 0.1f}, {-3.3f, 4.4f}};
    private static final float[] B = {0.01f, -7.5f};
    private static final TensorSpec X = new TensorSpec("x", DataType.FP32, new long[] {-1, 3});

    @TempDir
    static Path dir;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        Await.result(vertx.close());
    }

    @Test
    void linearModuleMatchesTheMatrixProductAndReportsProbedOutputs() throws IOException {
        Path file = TorchScriptWriter.linear(dir.resolve("linear.pt"), W, B);
        PyTorchBackend backend = Await.result(PyTorchBackend.load(vertx,
                PyTorchSettings.of(DjlModelSettings.of("scorer", file).withInstances(2), List.of(X))));
        float[] x = {1, 2, 3, -0.5f, 0.25f, 8, 0, 0, 0, 10, -10, 0.125f};

        Tensor y = Await.result(backend.infer(new InferenceRequest("r",
                List.of(Tensor.ofFloats("x", new long[] {4, 3}, x)), List.of()))).outputs().get(0);

        assertThat(y.name()).isEqualTo("output__0");
        assertThat(y.shape()).containsExactly(4, 2);
        double[] expected = linear(x);
        for (int i = 0; i < expected.length; i++) {
            assertThat(y.getDouble(i)).as("element %d", i).isCloseTo(expected[i], within(1e-4));
        }
        ModelMetadata metadata = backend.metadata();
        assertThat(metadata.platform()).isEqualTo("pytorch_torchscript");
        assertThat(metadata.inputs()).containsExactly(X);
        assertThat(metadata.outputs()).containsExactly(new TensorSpec("output__0", DataType.FP32, new long[] {-1, 2}));
        Await.result(backend.closeAsync());
    }

    @Test
    void tupleOutputsTakeTheConfiguredNamesAndInputsBindByPosition() throws IOException {
        Path file = TorchScriptWriter.write(dir.resolve("two.pt"), "TwoOut",
                "def forward(self, a: Tensor, b: Tensor) -> Tuple[Tensor, Tensor]:\n"
                        + "    return (torch.sub(a, b), torch.mul(a, b))\n");
        TensorSpec a = new TensorSpec("a", DataType.FP64, new long[] {-1, 2});
        TensorSpec b = new TensorSpec("b", DataType.FP64, new long[] {-1, 2});
        PyTorchBackend backend = Await.result(PyTorchBackend.load(vertx,
                new PyTorchSettings(DjlModelSettings.of("pair", file), List.of(a, b), List.of("difference", "product"))));

        // given in the opposite order, and only one output asked for: 'a' must still be forward()'s first argument
        InferenceResponse response = Await.result(backend.infer(new InferenceRequest("r", List.of(
                Tensor.ofDoubles("b", new long[] {1, 2}, new double[] {1.5, -2}),
                Tensor.ofDoubles("a", new long[] {1, 2}, new double[] {4, 3})), List.of("difference"))));

        assertThat(response.outputs()).containsExactly(
                Tensor.ofDoubles("difference", new long[] {1, 2}, new double[] {2.5, 5}));
        assertThat(backend.metadata().outputs()).extracting(TensorSpec::name).containsExactly("difference", "product");
        Await.result(backend.closeAsync());
    }

    @Test
    void wrongNumberOfOutputNamesFailsTheLoadClearly() throws IOException {
        Path file = TorchScriptWriter.linear(dir.resolve("linear-names.pt"), W, B);

        Throwable failure = Await.failure(PyTorchBackend.load(vertx,
                new PyTorchSettings(DjlModelSettings.of("scorer", file), List.of(X), List.of("a", "b"))));

        assertThat(failure).isInstanceOf(InferenceException.class)
                .hasMessageContaining("model 'scorer'").hasMessageContaining("forward() returns 1 tensors");
    }

    @Test
    void settingsWithoutInputsExplainWhyTheyAreNeeded() {
        Throwable failure = catchThrowable(() -> PyTorchSettings.of(DjlModelSettings.of("m", Path.of("m.pt")), List.of()));

        assertThat(failure).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs").hasMessageContaining("TorchScript file does not declare them");
    }

    private static double[] linear(float[] x) {
        int rows = x.length / 3;
        double[] y = new double[rows * 2];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 2; j++) {
                double sum = B[j];
                for (int k = 0; k < 3; k++) {
                    sum += (double) x[r * 3 + k] * W[k][j];
                }
                y[r * 2 + j] = sum;
            }
        }
        return y;
    }
}
