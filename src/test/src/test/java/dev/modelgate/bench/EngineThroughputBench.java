package dev.modelgate.bench;

import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.demo.DemoFiles;
import dev.modelgate.inference.djl.DjlModelSettings;
import dev.modelgate.inference.onnx.OnnxRuntimeBackend;
import dev.modelgate.inference.onnx.OnnxRuntimeSettings;
import dev.modelgate.inference.xgboost.XgboostBackend;
import dev.modelgate.inference.xgboost.XgboostSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling the gateway's dynamic batching is compared with: the same engine backend the gateway
 * serves the model through ({@link OnnxRuntimeBackend} or {@link XgboostBackend}, same instance count),
 * called in this process with ready-made batches, back to back. More calls are kept in flight than there
 * are instances, so that no worker idles while an answer travels back (as under the gateway's load).
 * What is left out is exactly what the gateway adds: HTTP, JSON, routing and the batching queue.
 * Every example is checked against its expected score before anything is timed.
 *
 * <p>System properties (defaults): {@code bench.engine} (onnx | xgboost), {@code bench.model} (the demo's
 * ONNX file for onnx), {@code bench.examples} (an {@link EngineExamples} file; the demo's examples for
 * onnx), {@code bench.instances} (2), {@code bench.inFlight} (4 per instance), {@code bench.batchSizes} (1,32),
 * {@code bench.warmupSeconds} (5),
 * {@code bench.seconds} (10), {@code bench.out}. Writes {@code engine.batch<N>.rows_per_s}.
 */
public final class EngineThroughputBench {

    private static final String MODEL_NAME = "bench";

    private EngineThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        String engine = BenchProperties.string("bench.engine", "onnx");
        int instances = BenchProperties.positiveInt("bench.instances", 2);
        int inFlight = BenchProperties.positiveInt("bench.inFlight", 4 * instances);
        int[] batchSizes = batchSizes(BenchProperties.string("bench.batchSizes", "1,32"));
        Duration warmUp = BenchProperties.seconds("bench.warmupSeconds", 5);
        Duration measured = BenchProperties.seconds("bench.seconds", 10);
        if (measured.isZero()) {
            throw new IllegalArgumentException("bench.seconds must be >= 1");
        }
        BenchResults results = BenchResults.fromProperties();

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            EngineExamples examples;
            InferenceBackend backend;
            if ("onnx".equals(engine)) {
                examples = optionalPath("bench.examples") == null ? EngineExamples.fraudScoreDemo()
                        : EngineExamples.read(optionalPath("bench.examples"));
                Path model = optionalPath("bench.model") == null ? DemoFiles.fraudScoreOnnx() : optionalPath("bench.model");
                backend = OnnxRuntimeBackend.load(vertx, OnnxRuntimeSettings.of(MODEL_NAME, model).withInstances(instances))
                        .await();
            } else if ("xgboost".equals(engine)) {
                examples = EngineExamples.read(requiredPath("bench.examples"));
                XgboostSettings settings = XgboostSettings.of(MODEL_NAME, requiredPath("bench.model"));
                DjlModelSettings model = settings.model().withInstances(instances);
                backend = XgboostBackend.load(vertx, settings.withModel(model)).await();
            } else {
                throw new IllegalArgumentException("bench.engine must be onnx or xgboost, got '" + engine + "'");
            }
            try {
                Context context = vertx.getOrCreateContext();
                checkScores(context, backend, examples, engine);
                for (int batch : batchSizes) {
                    System.out.printf("%s backend, %d instance(s), batches of %d, %d in flight: %d s warm-up, %d s measured%n",
                            engine, instances, batch, inFlight, warmUp.toSeconds(), measured.toSeconds());
                    results.put("engine.batch" + batch + ".rows_per_s",
                            rowsPerSecond(context, backend, requests(examples, batch), inFlight, warmUp, measured));
                }
            } finally {
                backend.close();
            }
        } finally {
            vertx.close().await();
        }
    }

    private static int[] batchSizes(String list) {
        try {
            int[] sizes = Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (sizes.length == 0 || Arrays.stream(sizes).anyMatch(size -> size < 1)) {
                throw new NumberFormatException("a size below 1");
            }
            return sizes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench.batchSizes must be whole numbers >= 1 separated by commas, got '"
                    + list + "'", e);
        }
    }

    private static Path optionalPath(String key) {
        String value = BenchProperties.string(key, null);
        return value == null ? null : Path.of(value);
    }

    private static Path requiredPath(String key) {
        Path path = optionalPath(key);
        if (path == null) {
            throw new IllegalArgumentException(key + " must name a file");
        }
        return path;
    }

    private static void checkScores(Context context, InferenceBackend backend, EngineExamples examples, String path)
            throws Exception {
        List<InferenceRequest> rows = requests(examples, 1);
        for (int example = 0; example < rows.size(); example++) {
            InferenceResponse response = onContext(context, backend, rows.get(example)).get(30, TimeUnit.SECONDS);
            Tensor score = response.outputs().stream().filter(output -> output.name().equals(examples.outputName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(path + ": no output '" + examples.outputName() + "'"));
            examples.checkScore(example, score.getDouble(0), path);
        }
    }

    /** One request per starting example, {@code batch} rows each, built up front so the loop times the engine. */
    private static List<InferenceRequest> requests(EngineExamples examples, int batch) {
        List<InferenceRequest> requests = new ArrayList<>(examples.size());
        for (int first = 0; first < examples.size(); first++) {
            Tensor rows = Tensor.ofFloats(examples.inputName(), new long[] {batch, examples.featureCount()},
                    examples.batch(first, batch));
            requests.add(new InferenceRequest("bench-" + first, List.of(rows), List.of()));
        }
        return requests;
    }

    /**
     * Keeps {@code inFlight} calls running until the end of {@code warmUp + measured}, and counts the
     * rows answered within the measured window only.
     */
    private static double rowsPerSecond(Context context, InferenceBackend backend, List<InferenceRequest> requests,
                                        int inFlight, Duration warmUp, Duration measured) throws Exception {
        long rowsPerCall = requests.get(0).inputs().get(0).rows();
        long start = System.nanoTime();
        long end = start + warmUp.toNanos() + measured.toNanos();
        AtomicLong calls = new AtomicLong();
        List<CompletableFuture<Void>> lanes = new ArrayList<>(inFlight);
        for (int lane = 0; lane < inFlight; lane++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            lanes.add(done);
            callUntil(context, backend, requests, lane, end, calls, done);
        }
        long measureFrom = waitUntil(start + warmUp.toNanos());
        long callsBefore = calls.get();
        long measureTo = waitUntil(end);
        long callsAfter = calls.get();
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return (callsAfter - callsBefore) * rowsPerCall / ((measureTo - measureFrom) / 1e9);
    }

    private static void callUntil(Context context, InferenceBackend backend, List<InferenceRequest> requests, long next,
                                  long end, AtomicLong calls, CompletableFuture<Void> done) {
        onContext(context, backend, requests.get((int) (next % requests.size()))).whenComplete((response, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (System.nanoTime() >= end) {
                done.complete(null);
            } else {
                calls.incrementAndGet();
                callUntil(context, backend, requests, next + 1, end, calls, done);
            }
        });
    }

    /** The backend expects to be called from a Vert.x context, as the gateway calls it. */
    private static CompletableFuture<InferenceResponse> onContext(Context context, InferenceBackend backend,
                                                                  InferenceRequest request) {
        CompletableFuture<InferenceResponse> answer = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            Future<InferenceResponse> call;
            try {
                call = backend.infer(request);
            } catch (RuntimeException e) {
                call = Future.failedFuture(e);
            }
            call.onComplete(result -> {
                if (result.succeeded()) {
                    answer.complete(result.result());
                } else {
                    answer.completeExceptionally(result.cause());
                }
            });
        });
        return answer;
    }

    private static long waitUntil(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
        return System.nanoTime();
    }
}
