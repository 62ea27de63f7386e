package dev.modelgate.inference.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.djl.DeviceChoice;
import dev.modelgate.inference.testmodels.Await;
import dev.modelgate.inference.testmodels.OnnxGraphBuilder;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Serves models built in the test with known functions, and compares with the same functions
 * computed in plain Java.
 */
class OnnxRuntimeBackendTest {

    // y = x · W + b, W row-major [3, 2]
    private static final long[] W_LONG = {1, -2, 3, 4, -5, 6};
    private static final long[] B_LONG = {10, -20};
    private static final double[] W_DOUBLE = {0.5, -1.25, 2.0, 0.1, -3.3, 4.4};
    private static final double[] B_DOUBLE = {0.01, -7.5};

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static OnnxRuntimeBackend linearInt64;
    private static OnnxRuntimeBackend linearFp64;
    private static OnnxRuntimeBackend twoInTwoOut;

    @BeforeAll
    static void loadModels() throws IOException {
        vertx = Vertx.vertx();
        linearInt64 = load("linear-int64", linear(TensorProto.DataType.INT64)
                .longs("W", new long[] {3, 2}, W_LONG).longs("b", new long[] {2}, B_LONG));
        linearFp64 = load("linear-fp64", linear(TensorProto.DataType.DOUBLE)
                .doubles("W", new long[] {3, 2}, W_DOUBLE).doubles("b", new long[] {2}, B_DOUBLE));
        twoInTwoOut = load("two-in-two-out", new OnnxGraphBuilder("two_in_two_out")
                .input("a", TensorProto.DataType.FLOAT, -1, 2)
                .input("b", TensorProto.DataType.FLOAT, -1, 2)
                .output("sum", TensorProto.DataType.FLOAT, -1, 2)
                .output("product", TensorProto.DataType.FLOAT, -1, 2)
                .node("Add", List.of("a", "b"), List.of("sum"))
                .node("Mul", List.of("a", "b"), List.of("product")));
    }

    @AfterAll
    static void closeAll() {
        Await.result(vertx.close());
    }

    private static OnnxGraphBuilder linear(TensorProto.DataType type) {
        return new OnnxGraphBuilder("linear")
                .input("x", type, -1, 3)
                .output("y", type, -1, 2)
                .node("MatMul", List.of("x", "W"), List.of("xw"))
                .node("Add", List.of("xw", "b"), List.of("y"));
    }

    static Path write(String name, OnnxGraphBuilder graph) throws IOException {
        return Files.write(dir.resolve(name + ".onnx"), graph.build("test").toByteArray());
    }

    private static OnnxRuntimeBackend load(String name, OnnxGraphBuilder graph) throws IOException {
        return Await.result(OnnxRuntimeBackend.load(vertx, settings(name, write(name, graph))));
    }

    private static OnnxRuntimeSettings settings(String name, Path path) {
        return new OnnxRuntimeSettings(name, "7", path, 1, 1, DeviceChoice.CPU, true);
    }

    private static OnnxRuntimeSettings withoutWarmUp(OnnxRuntimeSettings settings) {
        return new OnnxRuntimeSettings(settings.modelName(), settings.version(), settings.modelPath(), settings.instances(),
                settings.intraOpThreads(), settings.device(), false);
    }

    private static InferenceResponse infer(OnnxRuntimeBackend backend, List<String> outputs, Tensor... inputs) {
        return Await.result(backend.infer(new InferenceRequest("req-1", List.of(inputs), outputs)));
    }

    private static InferenceException failure(OnnxRuntimeBackend backend, Tensor... inputs) {
        Throwable failure = Await.failure(backend.infer(new InferenceRequest("req-1", List.of(inputs), List.of())));
        assertThat(failure).isInstanceOf(InferenceException.class);
        return (InferenceException) failure;
    }

    @Test
    void reportsTheModelsOwnSignature() {
        ModelMetadata metadata = linearInt64.metadata();
        assertThat(metadata.name()).isEqualTo("linear-int64");
        assertThat(metadata.version()).isEqualTo("7");
        assertThat(metadata.platform()).isEqualTo("onnxruntime_onnx");
        assertThat(metadata.inputs()).containsExactly(new TensorSpec("x", DataType.INT64, new long[] {-1, 3}));
        assertThat(metadata.outputs()).containsExactly(new TensorSpec("y", DataType.INT64, new long[] {-1, 2}));
        assertThat(twoInTwoOut.metadata().inputs()).extracting(TensorSpec::name).containsExactly("a", "b");
        assertThat(twoInTwoOut.metadata().outputs()).extracting(TensorSpec::name).containsExactly("sum", "product");
        assertThat(linearFp64.isReady()).isTrue();
    }

    @Test
    void int64LinearModelIsExact() {
        long[] x = {1, 2, 3, -4, 0, 7, 1_000_000, -3, 12};
        InferenceResponse response = infer(linearInt64, List.of(), new Tensor("x", DataType.INT64, new long[] {3, 3}, x));

        long[] expected = new long[6];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 2; col++) {
                long sum = B_LONG[col];
                for (int k = 0; k < 3; k++) {
                    sum += x[row * 3 + k] * W_LONG[k * 2 + col];
                }
                expected[row * 2 + col] = sum;
            }
        }
        assertThat(response.modelName()).isEqualTo("linear-int64");
        assertThat(response.modelVersion()).isEqualTo("7");
        assertThat(response.id()).isEqualTo("req-1");
        assertThat(response.outputs()).containsExactly(new Tensor("y", DataType.INT64, new long[] {3, 2}, expected));
    }

    @Test
    void fp64LinearModelMatchesPlainJava() {
        double[] x = {0.25, -1.5, 3.75, 100.0, 0.001, -42.0};
        Tensor y = infer(linearFp64, List.of(), Tensor.ofDoubles("x", new long[] {2, 3}, x)).outputs().get(0);

        assertThat(y.datatype()).isEqualTo(DataType.FP64);
        assertThat(y.shape()).containsExactly(2, 2);
        double[] actual = (double[]) y.data();
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 2; col++) {
                double expected = B_DOUBLE[col];
                for (int k = 0; k < 3; k++) {
                    expected += x[row * 3 + k] * W_DOUBLE[k * 2 + col];
                }
                assertThat(actual[row * 2 + col]).isCloseTo(expected, within(1e-12));
            }
        }
    }

    @Test
    void returnsEveryOutputByDefaultAndOnlyTheRequestedOnesInTheCallersOrder() {
        Tensor a = Tensor.ofFloats("a", new long[] {2, 2}, new float[] {1.5f, 2f, -3f, 0.25f});
        Tensor b = Tensor.ofFloats("b", new long[] {2, 2}, new float[] {2f, -1f, 4f, 8f});
        Tensor sum = Tensor.ofFloats("sum", new long[] {2, 2}, new float[] {3.5f, 1f, 1f, 8.25f});
        Tensor product = Tensor.ofFloats("product", new long[] {2, 2}, new float[] {3f, -2f, -12f, 2f});

        // inputs are matched by name, not position
        assertThat(infer(twoInTwoOut, List.of(), b, a).outputs()).containsExactly(sum, product);
        assertThat(infer(twoInTwoOut, List.of("product"), a, b).outputs()).containsExactly(product);
        assertThat(infer(twoInTwoOut, List.of("product", "sum"), a, b).outputs()).containsExactly(product, sum);
    }

    @Test
    void callsOfChangingRowCountsEachSeeTheirOwnValues() {
        // a worker thread keeps its ONNX tensors from call to call while the shapes stay the same
        for (int rows : new int[] {1, 3, 3, 1, 2, 2}) {
            float[] a = new float[rows * 2];
            float[] b = new float[rows * 2];
            float[] sum = new float[rows * 2];
            float[] product = new float[rows * 2];
            for (int i = 0; i < a.length; i++) {
                a[i] = rows * 10 + i;
                b[i] = 0.5f - i;
                sum[i] = a[i] + b[i];
                product[i] = a[i] * b[i];
            }
            long[] shape = {rows, 2};
            assertThat(infer(twoInTwoOut, List.of(), Tensor.ofFloats("a", shape, a), Tensor.ofFloats("b", shape, b)).outputs())
                    .containsExactly(Tensor.ofFloats("sum", shape, sum), Tensor.ofFloats("product", shape, product));
        }
    }

    @Test
    void anOutputWhoseFirstDimensionIsNotTheRowsIsServedAllTheSame() throws IOException {
        // declared [-1, 2] like a per-row output, but one row of column sums whatever the rows
        OnnxRuntimeBackend columnSums = load("column-sums", new OnnxGraphBuilder("column_sums")
                .input("x", TensorProto.DataType.FLOAT, -1, 2)
                .output("total", TensorProto.DataType.FLOAT, -1, 2)
                .longs("axes", new long[] {1}, 0)
                .node("ReduceSum", List.of("x", "axes"), List.of("total")));
        try {
            for (int call = 0; call < 3; call++) {
                Tensor x = Tensor.ofFloats("x", new long[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6 + call});
                assertThat(infer(columnSums, List.of(), x).outputs())
                        .containsExactly(Tensor.ofFloats("total", new long[] {1, 2}, new float[] {9, 12 + call}));
            }
            Tensor one = Tensor.ofFloats("x", new long[] {1, 2}, new float[] {7, 8});
            assertThat(infer(columnSums, List.of(), one).outputs())
                    .containsExactly(Tensor.ofFloats("total", new long[] {1, 2}, new float[] {7, 8}));
        } finally {
            Await.result(columnSums.closeAsync());
        }
    }

    @Test
    void invalidRequestsFailAsInvalidInputNamingTheInput() {
        InferenceException e = failure(twoInTwoOut,
                Tensor.ofDoubles("a", new long[] {1, 2}, new double[2]), Tensor.ofFloats("b", new long[] {1, 2}, new float[2]));
        assertThat(e.kind()).isEqualTo(InferenceException.Kind.INVALID_INPUT);
        assertThat(e).hasMessage("input 'a': expected FP32, got FP64");
    }

    @Test
    void anEngineErrorIsABackendFailure() throws IOException {
        // both dimensions of x are free, so [1, 4] passes validation and MatMul with [3, 2] fails in
        // the engine (so would a warm-up with [1, 1], hence none)
        Path model = write("dynamic-matmul", new OnnxGraphBuilder("dynamic_matmul")
                .input("x", TensorProto.DataType.FLOAT, -1, -1)
                .output("y", TensorProto.DataType.FLOAT, -1, 2)
                .floats("W", new long[] {3, 2}, 1, 2, 3, 4, 5, 6)
                .node("MatMul", List.of("x", "W"), List.of("y")));
        OnnxRuntimeBackend backend = Await.result(OnnxRuntimeBackend.load(vertx, withoutWarmUp(settings("dynamic-matmul", model))));
        try {
            InferenceException e = failure(backend, Tensor.ofFloats("x", new long[] {1, 4}, new float[4]));
            assertThat(e.kind()).isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
            assertThat(e).hasMessageStartingWith("model 'dynamic-matmul': inference failed");
            // the failed call gave its predictor back: the next valid call still works
            Tensor y = infer(backend, List.of(), Tensor.ofFloats("x", new long[] {1, 3}, new float[] {1, 1, 1})).outputs().get(0);
            assertThat(y.data()).isEqualTo(new float[] {9, 12});
        } finally {
            Await.result(backend.closeAsync());
        }
    }

    @Test
    void aClosedBackendRefusesCalls() throws IOException {
        OnnxRuntimeBackend backend = Await.result(OnnxRuntimeBackend.load(vertx, settings("closing", dir.resolve("linear-int64.onnx"))));
        Tensor x = new Tensor("x", DataType.INT64, new long[] {1, 3}, new long[] {1, 1, 1});
        assertThat(infer(backend, List.of(), x).outputs().get(0).data()).isEqualTo(new long[] {9, -12});

        Await.result(backend.closeAsync());

        assertThat(backend.isReady()).isFalse();
        InferenceException e = failure(backend, x);
        assertThat(e.kind()).isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
        assertThat(e).hasMessage("model 'closing' is closed");
        assertThat(backend.closeAsync().succeeded()).isTrue();
    }

    @Test
    void aWarmUpFailureFailsTheLoad() throws IOException {
        Path model = write("dynamic-matmul-warm", new OnnxGraphBuilder("dynamic_matmul")
                .input("x", TensorProto.DataType.FLOAT, -1, -1)
                .output("y", TensorProto.DataType.FLOAT, -1, 2)
                .floats("W", new long[] {3, 2}, 1, 2, 3, 4, 5, 6)
                .node("MatMul", List.of("x", "W"), List.of("y")));
        assertThat(Await.failure(OnnxRuntimeBackend.load(vertx, settings("warm", model))))
                .hasMessageContaining("MatMul dimension mismatch");
    }

    @Test
    void aMissingFileFailsTheLoadNamingModelAndPath() {
        Path missing = dir.resolve("nope.onnx");
        Throwable e = Await.failure(OnnxRuntimeBackend.load(vertx, settings("ghost", missing)));
        assertThat(e).isInstanceOf(InferenceException.class)
                .hasMessage("model 'ghost': cannot load " + missing + ": no such file");
        assertThat(((InferenceException) e).kind()).isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
    }

    @Test
    void anExplicitGpuOnAMachineWithoutOneFailsTheLoad() {
        OnnxRuntimeSettings onGpu = new OnnxRuntimeSettings("gpu-model", "", dir.resolve("linear-int64.onnx"), 1, 1,
                DeviceChoice.parse("gpu"), false);
        assertThat(Await.failure(OnnxRuntimeBackend.load(vertx, onGpu)))
                .hasMessageContaining("device gpu:0 requested but the engine sees 0 GPU(s)");
    }

    @Test
    void autoDeviceFallsBackToTheCpuHere() throws IOException {
        OnnxRuntimeSettings auto = OnnxRuntimeSettings.of("auto-model", dir.resolve("linear-int64.onnx"));
        OnnxRuntimeBackend backend = Await.result(OnnxRuntimeBackend.load(vertx, auto));
        try {
            assertThat(backend.isReady()).isTrue();
        } finally {
            Await.result(backend.closeAsync());
        }
    }

    @Test
    void aModelWithATypeTheEngineCannotFeedFailsTheLoadNamingTheInput() throws IOException {
        Path int16 = write("int16", new OnnxGraphBuilder("int16")
                .input("counts", TensorProto.DataType.INT16, -1)
                .output("same", TensorProto.DataType.INT16, -1)
                .node("Identity", List.of("counts"), List.of("same")));
        assertThat(Await.failure(OnnxRuntimeBackend.load(vertx, settings("int16", int16))))
                .hasMessageContaining("input 'counts' has element type ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16");
    }
}
