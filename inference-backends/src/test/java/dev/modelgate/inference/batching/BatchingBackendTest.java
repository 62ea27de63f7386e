package dev.modelgate.inference.batching;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.onnx.OnnxRuntimeBackend;
import dev.modelgate.inference.onnx.OnnxRuntimeSettings;
import dev.modelgate.inference.testmodels.Await;
import dev.modelgate.inference.testmodels.LinearModel;
import dev.modelgate.inference.testmodels.OnnxGraphBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

/** The batcher in front of a real ONNX Runtime model, checked against the same function in plain Java. */
class BatchingBackendTest {

    private static final LinearModel MODEL = new LinearModel(new float[] {0.5f, -1.25f, 2f, 0.1f, -3.3f, 4.4f},
            new float[] {0.01f, -7.5f});

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static Path onnx;

    private final List<BatchStats> batches = new CopyOnWriteArrayList<>();
    private final List<Boolean> rejections = new CopyOnWriteArrayList<>();
    private final BatchingListener recorder = new BatchingListener() {
        @Override
        public void batchCompleted(BatchStats stats) {
            batches.add(stats);
        }

        @Override
        public void requestRejected() {
            rejections.add(true);
        }
    };

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        onnx = MODEL.writeOnnx(dir.resolve("linear.onnx"));
    }

    @AfterAll
    static void stop() {
        Await.result(vertx.close());
    }

    private BatchingBackend batching(BatchingSettings settings) {
        OnnxRuntimeBackend engine = Await.result(OnnxRuntimeBackend.load(vertx, OnnxRuntimeSettings.of("linear", onnx)));
        return new BatchingBackend(vertx, engine, settings, recorder);
    }

    @Test
    void concurrentSingleRowsRunInFewerBatchesAndEachCallerGetsItsOwnRow() {
        BatchingBackend backend = batching(new BatchingSettings(16, Duration.ofMillis(5), 1000, 1));
        int calls = 64;
        Context context = vertx.getOrCreateContext();

        List<InferenceResponse> responses = fromContext(context, () -> {
            List<Future<InferenceResponse>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(backend.infer(row("call-" + i, i)));
            }
            return futures;
        });

        for (int i = 0; i < calls; i++) {
            InferenceResponse response = responses.get(i);
            assertThat(response.id()).isEqualTo("call-" + i);
            Tensor y = response.outputs().get(0);
            assertThat(y.shape()).containsExactly(1, 2);
            double[] expected = MODEL.y(input(i));
            assertThat(y.getDouble(0)).as("call %d", i).isCloseTo(expected[0], within(1e-5));
            assertThat(y.getDouble(1)).as("call %d", i).isCloseTo(expected[1], within(1e-5));
        }
        assertThat(batches).hasSizeLessThan(calls);
        assertThat(batches.stream().mapToInt(BatchStats::requests).max().orElseThrow()).isGreaterThan(1);
        assertThat(batches.stream().mapToLong(BatchStats::rows).sum()).isEqualTo(calls);
        assertThat(batches.stream().mapToLong(BatchStats::rows).max().orElseThrow()).isLessThanOrEqualTo(16);
        assertThat(batches).allMatch(BatchStats::succeeded);
        Await.result(backend.closeAsync());
    }

    @Test
    void aLoneRequestRunsWhenTheDelayExpires() {
        BatchingBackend backend = batching(new BatchingSettings(64, Duration.ofMillis(30), 100, 1));
        long start = System.nanoTime();

        InferenceResponse response = Await.result(backend.infer(row("alone", 3)));

        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(response.outputs().get(0).getDouble(0)).isCloseTo(MODEL.y(input(3))[0], within(1e-5));
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(25);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).requests()).isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(batches.get(0).queueNanos())).isGreaterThanOrEqualTo(25);
        Await.result(backend.closeAsync());
    }

    @Test
    void aFullQueueFailsFastAsOverloadedAndClosingRunsTheQueuedRequests() {
        // a delay far longer than the test: only closing can run the two queued requests
        BatchingBackend backend = batching(new BatchingSettings(64, Duration.ofSeconds(60), 2, 1));
        Future<InferenceResponse> first = backend.infer(row("first", 1));
        Future<InferenceResponse> second = backend.infer(row("second", 2));

        long start = System.nanoTime();
        Throwable refused = Await.failure(backend.infer(row("third", 3)));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        assertThat(refused).isInstanceOf(InferenceException.class).hasMessageContaining("queue full");
        assertThat(((InferenceException) refused).kind()).isEqualTo(InferenceException.Kind.OVERLOADED);
        assertThat(rejections).hasSize(1);
        assertThat(first.isComplete()).isFalse();

        Future<Void> closed = backend.closeAsync();
        assertThat(Await.result(first).outputs().get(0).getDouble(1)).isCloseTo(MODEL.y(input(1))[1], within(1e-5));
        assertThat(Await.result(second).outputs().get(0).getDouble(1)).isCloseTo(MODEL.y(input(2))[1], within(1e-5));
        Await.result(closed);
        assertThat(backend.isReady()).isFalse();
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).requests()).isEqualTo(2);
    }

    @Test
    void requestsForDifferentOutputsRunInSeparateBatches() {
        BatchingBackend backend = batching(new BatchingSettings(32, Duration.ofMillis(10), 100, 1));
        Context context = vertx.getOrCreateContext();

        List<InferenceResponse> responses = fromContext(context, () -> {
            List<Future<InferenceResponse>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String output = i % 2 == 0 ? "y" : "z";
                futures.add(backend.infer(new InferenceRequest("r" + i,
                        List.of(Tensor.ofFloats("x", new long[] {1, 3}, input(i))), List.of(output))));
            }
            return futures;
        });

        for (int i = 0; i < 8; i++) {
            Tensor only = responses.get(i).outputs().get(0);
            assertThat(responses.get(i).outputs()).hasSize(1);
            double factor = i % 2 == 0 ? 1 : 2;
            assertThat(only.name()).isEqualTo(i % 2 == 0 ? "y" : "z");
            assertThat(only.getDouble(0)).isCloseTo(factor * MODEL.y(input(i))[0], within(1e-4));
        }
        assertThat(batches).hasSize(2).allMatch(stats -> stats.requests() == 4);
        Await.result(backend.closeAsync());
    }

    @Test
    void multiRowRequestsKeepTheirRowRangesAndAnInvalidOneFailsAlone() {
        BatchingBackend backend = batching(new BatchingSettings(8, Duration.ofMillis(10), 100, 1));
        float[] three = new float[9];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(input(10 + i), 0, three, i * 3, 3);
        }
        Future<InferenceResponse> multi = backend.infer(new InferenceRequest("multi",
                List.of(Tensor.ofFloats("x", new long[] {3, 3}, three)), List.of("y")));
        Future<InferenceResponse> single = backend.infer(row("single", 20));
        Future<InferenceResponse> invalid = backend.infer(new InferenceRequest("bad",
                List.of(Tensor.ofFloats("x", new long[] {1, 4}, new float[4])), List.of("y")));

        assertThat(Await.failure(invalid)).isInstanceOf(InferenceException.class).hasMessageContaining("input 'x'");
        Tensor y = Await.result(multi).outputs().get(0);
        assertThat(y.shape()).containsExactly(3, 2);
        double[] expected = MODEL.y(three);
        for (int i = 0; i < expected.length; i++) {
            assertThat(y.getDouble(i)).isCloseTo(expected[i], within(1e-5));
        }
        assertThat(Await.result(single).outputs().get(0).getDouble(0)).isCloseTo(MODEL.y(input(20))[0], within(1e-5));
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).rows()).isEqualTo(4);
        Await.result(backend.closeAsync());
    }

    @Test
    void aModelWithAFixedFirstDimensionCannotBeBatched() throws Exception {
        Path fixed = dir.resolve("fixed.onnx");
        Files.write(fixed, new OnnxGraphBuilder("fixed")
                .input("x", TensorProto.DataType.FLOAT, 1, 3)
                .output("y", TensorProto.DataType.FLOAT, 1, 3)
                .node("Identity", List.of("x"), List.of("y")).build("test").toByteArray());
        InferenceBackend engine = Await.result(OnnxRuntimeBackend.load(vertx, OnnxRuntimeSettings.of("fixed", fixed)));

        Throwable failure = catchThrowable(() -> new BatchingBackend(vertx, engine,
                new BatchingSettings(8, Duration.ofMillis(1), 10, 1), BatchingListener.NONE));

        assertThat(failure).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 'x'");
        engine.close();
    }

    private static float[] input(int i) {
        return new float[] {i, 0.5f * i - 3, (i % 7) - 2.5f};
    }

    private static InferenceRequest row(String id, int i) {
        return new InferenceRequest(id, List.of(Tensor.ofFloats("x", new long[] {1, 3}, input(i))), List.of("y"));
    }

    /** Issues the calls from one event-loop context, as the gateway's handlers do, and waits for all of them. */
    private static List<InferenceResponse> fromContext(Context context,
                                                       Supplier<List<Future<InferenceResponse>>> calls) {
        Promise<List<InferenceResponse>> all = Promise.promise();
        context.runOnContext(start -> {
            List<Future<InferenceResponse>> futures = calls.get();
            Future.all(futures).map(done -> futures.stream().map(Future::result).toList()).onComplete(all);
        });
        return Await.result(all.future());
    }
}
