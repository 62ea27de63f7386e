package dev.modelgate.inference.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceRequest;
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

/** Every datatype the backend serves reaches the engine and comes back with its values, type and shape intact. */
class OnnxRuntimeDatatypesTest {

    @TempDir
    static Path dir;
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        Await.result(vertx.close());
    }

    /** Serves a one-node model {@code y = op(x)} over [-1, 3] tensors of {@code type} and runs {@code x} through it. */
    private static Tensor run(String op, TensorProto.DataType type, Tensor x) throws IOException {
        Path file = Files.write(dir.resolve(op + "-" + type + ".onnx"), new OnnxGraphBuilder(op)
                .input("x", type, -1, 3)
                .output("y", type, -1, 3)
                .node(op, List.of("x"), List.of("y"))
                .build("test").toByteArray());
        OnnxRuntimeBackend backend = Await.result(OnnxRuntimeBackend.load(vertx,
                new OnnxRuntimeSettings(op, "", file, 1, 1, DeviceChoice.CPU, true)));
        try {
            assertThat(backend.metadata().inputs()).containsExactly(new TensorSpec("x", x.datatype(), new long[] {-1, 3}));
            List<Tensor> outputs = Await.result(backend.infer(new InferenceRequest("r", List.of(x), List.of()))).outputs();
            assertThat(outputs).hasSize(1);
            return outputs.get(0);
        } finally {
            Await.result(backend.closeAsync());
        }
    }

    private static final long[] SHAPE = {2, 3};

    @Test
    void int8KeepsItsSignAndExtremes() throws IOException {
        Tensor x = new Tensor("x", DataType.INT8, SHAPE, new int[] {-128, -1, 0, 1, 100, 127});
        assertThat(run("Neg", TensorProto.DataType.INT8, x))
                // Neg wraps -128 to -128 in two's complement, as ONNX specifies for int8
                .isEqualTo(new Tensor("y", DataType.INT8, SHAPE, new int[] {-128, 1, 0, -1, -100, -127}));
    }

    @Test
    void uint8KeepsValuesAbove127() throws IOException {
        Tensor x = new Tensor("x", DataType.UINT8, SHAPE, new int[] {0, 1, 127, 128, 200, 255});
        assertThat(run("Identity", TensorProto.DataType.UINT8, x))
                .isEqualTo(new Tensor("y", DataType.UINT8, SHAPE, new int[] {0, 1, 127, 128, 200, 255}));
    }

    @Test
    void int32() throws IOException {
        Tensor x = new Tensor("x", DataType.INT32, SHAPE, new int[] {Integer.MIN_VALUE + 1, -7, 0, 7, 65_536, Integer.MAX_VALUE});
        assertThat(run("Neg", TensorProto.DataType.INT32, x))
                .isEqualTo(new Tensor("y", DataType.INT32, SHAPE, new int[] {Integer.MAX_VALUE, 7, 0, -7, -65_536, -Integer.MAX_VALUE}));
    }

    @Test
    void fp16ValuesThatHalfPrecisionHoldsExactly() throws IOException {
        // all exactly representable in IEEE 754 binary16 (65504 is its largest finite value)
        Tensor x = new Tensor("x", DataType.FP16, SHAPE, new float[] {0.5f, -2.25f, 1024f, 65504f, 0.0009765625f, 0f});
        assertThat(run("Neg", TensorProto.DataType.FLOAT16, x))
                .isEqualTo(new Tensor("y", DataType.FP16, SHAPE, new float[] {-0.5f, 2.25f, -1024f, -65504f, -0.0009765625f, -0f}));
    }

    @Test
    void fp32() throws IOException {
        Tensor x = Tensor.ofFloats("x", SHAPE, new float[] {Float.MIN_VALUE, -1.5f, 3.4e38f, 1e-7f, 0f, 42f});
        assertThat(run("Neg", TensorProto.DataType.FLOAT, x))
                .isEqualTo(Tensor.ofFloats("y", SHAPE, new float[] {-Float.MIN_VALUE, 1.5f, -3.4e38f, -1e-7f, -0f, -42f}));
    }

    @Test
    void bool() throws IOException {
        Tensor x = new Tensor("x", DataType.BOOL, SHAPE, new boolean[] {true, false, true, true, false, false});
        assertThat(run("Not", TensorProto.DataType.BOOL, x))
                .isEqualTo(new Tensor("y", DataType.BOOL, SHAPE, new boolean[] {false, true, false, false, true, true}));
    }
}
