package dev.modelgate.bench;

import ai.djl.engine.Engine;
import ai.djl.translate.TranslateException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.demo.DemoFiles;
import dev.modelgate.inference.onnx.OnnxRuntimeBackend;
import dev.modelgate.inference.onnx.OnnxRuntimeSettings;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The baselines the gateway is compared with, the demo model called in this process:
 * <ol>
 *   <li>latency at a constant rate through {@link OnnxRuntimeBackend} from a Vert.x context, exactly as
 *       the gateway calls it (worker hand-off included), and through a plain DJL predictor on one thread;</li>
 *   <li>throughput of the plain predictor on one thread, back to back, at batch 1 and 64.</li>
 * </ol>
 * Both paths are checked against the model's formula on every example before they are timed.
 *
 * <p>System properties (defaults): {@code bench.rate} (1000 per second), {@code bench.warmupSeconds} (30),
 * {@code bench.seconds} (30), {@code bench.instances} (2, as {@code bench/gateway.yaml} serves the model),
 * {@code bench.throughputWarmupSeconds} (5), {@code bench.throughputSeconds} (10), {@code bench.out},
 * {@code modelgate.demo.dir}. Run with {@code -Dai.djl.offline=true -Dai.djl.onnx.disable_alternative=true},
 * as the gateway runs.
 */
public final class RawEngineBench {

    private static final String MODEL_NAME = "fraud-score";
    private static final int[] BATCH_SIZES = {1, 64};
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private RawEngineBench() {
    }

    public static void main(String[] args) throws Exception {
        double rate = BenchProperties.positiveDouble("bench.rate", 1000);
        Duration warmUp = BenchProperties.seconds("bench.warmupSeconds", 30);
        Duration measured = BenchProperties.seconds("bench.seconds", 30);
        int instances = BenchProperties.positiveInt("bench.instances", 2);
        Duration throughputWarmUp = BenchProperties.seconds("bench.throughputWarmupSeconds", 5);
        Duration throughputMeasured = BenchProperties.seconds("bench.throughputSeconds", 10);
        FraudScoreInputs inputs = FraudScoreInputs.loadDemo();
        Path model = DemoFiles.fraudScoreOnnx();
        BenchResults results = BenchResults.fromProperties();
        OpenLoopDriver driver = new OpenLoopDriver(rate, DRAIN_TIMEOUT);
        // DJL's engine creates ONNX Runtime's one environment with its own thread settings, and refuses to start
        // once the backend's plain getEnvironment() has made it: it goes first
        Engine.getEngine("OnnxRuntime");

        System.out.printf("OnnxRuntimeBackend (%d instances) from a Vert.x context: %.0f calls/s, %d s warm-up, %d s measured%n",
                instances, rate, warmUp.toSeconds(), measured.toSeconds());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            results.put("backend", backendLatency(vertx, model, instances, inputs, driver, warmUp, measured));
        } finally {
            vertx.close().await();
        }

        try (DirectPredictor direct = DirectPredictor.open(model, inputs.inputName(), inputs.featureCount())) {
            for (int example = 0; example < inputs.size(); example++) {
                inputs.checkScore(example, direct.predict(inputs.row(example))[0], "plain DJL predictor");
            }
            System.out.printf("plain DJL predictor, one thread: %.0f calls/s, %d s warm-up, %d s measured%n",
                    rate, warmUp.toSeconds(), measured.toSeconds());
            results.put("djl", driver.run(Operation.blocking(sequence -> () -> direct.predict(inputs.row(sequence))),
                    warmUp, measured));
            for (int batch : BATCH_SIZES) {
                System.out.printf("plain DJL predictor, one thread, back to back at batch %d: %d s warm-up, %d s measured%n",
                        batch, throughputWarmUp.toSeconds(), throughputMeasured.toSeconds());
                results.put("djl.batch" + batch + ".rows_per_s",
                        rowsPerSecond(direct, inputs, batch, throughputWarmUp, throughputMeasured));
            }
        }
    }

    private static LatencyReport backendLatency(Vertx vertx, Path model, int instances, FraudScoreInputs inputs,
                                                OpenLoopDriver driver, Duration warmUp, Duration measured)
            throws InterruptedException {
        OnnxRuntimeBackend backend = OnnxRuntimeBackend.load(vertx,
                OnnxRuntimeSettings.of(MODEL_NAME, model).withInstances(instances)).await();
        try {
            List<InferenceRequest> requests = new ArrayList<>();
            for (int example = 0; example < inputs.size(); example++) {
                Tensor row = Tensor.ofFloats(inputs.inputName(), new long[] {1, inputs.featureCount()}, inputs.row(example));
                requests.add(new InferenceRequest("bench-" + example, List.of(row), List.of()));
            }
            Context context = vertx.getOrCreateContext();
            for (int example = 0; example < inputs.size(); example++) {
                InferenceResponse response = backend.infer(requests.get(example)).await();
                inputs.checkScore(example, response.outputs().get(0).getDouble(0), "OnnxRuntimeBackend");
            }
            return driver.run(Operation.onContext(context,
                    sequence -> backend.infer(requests.get(Math.floorMod(sequence, requests.size())))), warmUp, measured);
        } finally {
            backend.closeAsync().await();
        }
    }

    /** Rows per second of back-to-back calls on this one thread, after {@code warmUp} of the same. */
    private static double rowsPerSecond(DirectPredictor direct, FraudScoreInputs inputs, int batch, Duration warmUp,
                                        Duration measured) throws TranslateException {
        // Prepared up front so the loop times the engine, not the copying of rows into batches.
        float[][] batches = new float[inputs.size()][];
        for (int first = 0; first < batches.length; first++) {
            batches[first] = inputs.batch(first, batch);
        }
        callsWithin(direct, batches, warmUp);
        long start = System.nanoTime();
        long calls = callsWithin(direct, batches, measured);
        double seconds = (System.nanoTime() - start) / 1e9;
        return calls * batch / seconds;
    }

    private static long callsWithin(DirectPredictor direct, float[][] batches, Duration duration) throws TranslateException {
        long deadline = System.nanoTime() + duration.toNanos();
        long calls = 0;
        do {
            direct.predict(batches[(int) (calls % batches.length)]);
            calls++;
        } while (System.nanoTime() < deadline);
        return calls;
    }
}
