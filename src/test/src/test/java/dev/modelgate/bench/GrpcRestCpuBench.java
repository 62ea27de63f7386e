package dev.modelgate.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.modelgate.inference.oip.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The gateway's CPU time per request, gRPC with raw contents against REST/JSON, for the demo model (one row
 * of 12 features) and for an image-sized input ({@code [1,3,224,224]} FP32, {@link ImageBenchModel}), all
 * against one gateway process in the same run. Each case runs closed-loop with a fixed number of calls in
 * flight; its cost is the gateway's utime+stime ({@code /proc/PID/stat}) over a window divided by the
 * requests answered in it. CPU per request rather than requests/s: on a shared machine it moves far less
 * with the neighbours' load, and it leaves out the load generator's own cost. The cases are measured in
 * alternation, round after round, so every ratio compares windows taken close together.
 *
 * <p>System properties (defaults): {@code bench.pid} (the gateway's, required), {@code bench.restPort},
 * {@code bench.grpcPort} (required), {@code bench.clockTicks} (100, {@code getconf CLK_TCK}),
 * {@code bench.warmupSeconds} (20, per case, once), {@code bench.seconds} (15, per case and round),
 * {@code bench.rounds} (2), {@code bench.inFlight} (8), {@code bench.out} (a JSON file of the results).
 */
public final class GrpcRestCpuBench {

    private GrpcRestCpuBench() {
    }

    /** One kind of call: issues one request and reports its success to the callback. */
    private interface Caller {
        void call(Consumer<Boolean> done);
    }

    public static void main(String[] args) throws Exception {
        long pid = Long.parseLong(BenchProperties.string("bench.pid", "0"));
        int restPort = BenchProperties.positiveInt("bench.restPort", 8080);
        int grpcPort = BenchProperties.positiveInt("bench.grpcPort", 8081);
        int clockTicks = BenchProperties.positiveInt("bench.clockTicks", 100);
        Duration warmUp = BenchProperties.seconds("bench.warmupSeconds", 20);
        Duration measured = BenchProperties.seconds("bench.seconds", 15);
        int rounds = BenchProperties.positiveInt("bench.rounds", 2);
        int inFlight = BenchProperties.positiveInt("bench.inFlight", 8);
        if (pid <= 0) {
            throw new IllegalArgumentException("bench.pid must be the gateway's process id");
        }

        Random random = new Random(5);
        float[] features = {120.5f, 400, 3, 85.2f, 12.4f, 0, 14, 0.3f, 1, 0, 250, 1.2f};
        float[] image = new float[3 * 224 * 224];
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextFloat();
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub = GRPCInferenceServiceGrpc.newFutureStub(channel);

        Map<String, Caller> cases = new LinkedHashMap<>();
        cases.put("demo.rest", rest(http, restPort, "fraud-score", json("features", new long[] {1, 12}, features)));
        cases.put("demo.grpc_raw", grpc(stub, raw("fraud-score", "features", new long[] {1, 12}, features)));
        cases.put("image.rest", rest(http, restPort, "image-mean", json("image", ImageBenchModel.SHAPE, image)));
        cases.put("image.grpc_raw", grpc(stub, raw("image-mean", "image", ImageBenchModel.SHAPE, image)));

        for (Map.Entry<String, Caller> c : cases.entrySet()) {
            System.out.printf("warm-up %s: %d s%n", c.getKey(), warmUp.toSeconds());
            run(c.getValue(), inFlight, warmUp, pid);
        }
        Map<String, List<Double>> micros = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, Caller> c : cases.entrySet()) {
                Window window = run(c.getValue(), inFlight, measured, pid);
                double perRequest = window.cpuTicks() * (1e6 / clockTicks) / window.requests();
                micros.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(perRequest);
                System.out.printf(Locale.ROOT, "round %d %-15s %8d requests %8.1f req/s  gateway CPU %8.1f us/request%n", round,
                        c.getKey(), window.requests(), window.requests() / (double) measured.toSeconds(), perRequest);
            }
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, List<Double>> e : micros.entrySet()) {
            json.append(String.format(Locale.ROOT, "\"%s.cpu_us_per_request\": %.2f, ", e.getKey(), median(e.getValue())));
        }
        double demoRatio = median(micros.get("demo.rest")) / median(micros.get("demo.grpc_raw"));
        double imageRatio = median(micros.get("image.rest")) / median(micros.get("image.grpc_raw"));
        json.append(String.format(Locale.ROOT, "\"demo.rest_over_grpc\": %.2f, \"image.rest_over_grpc\": %.2f}", demoRatio, imageRatio));
        System.out.printf(Locale.ROOT, "REST / gRPC-raw CPU per request: demo %.2fx, image %.2fx (medians over %d rounds)%n",
                demoRatio, imageRatio, rounds);
        String out = BenchProperties.string("bench.out", null);
        if (out != null) {
            Files.writeString(Path.of(out), json + "\n");
        }
    }

    private record Window(long requests, long cpuTicks) {}

    /** Keeps {@code inFlight} calls going for {@code length}; the gateway's CPU ticks over the window. */
    private static Window run(Caller caller, int inFlight, Duration length, long pid) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long cpuBefore = cpuTicks(pid);
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            slots.acquire();
            caller.call(success -> {
                (success ? ok : failed).incrementAndGet();
                slots.release();
            });
        }
        slots.acquire(inFlight);
        long cpu = cpuTicks(pid) - cpuBefore;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " requests failed");
        }
        return new Window(ok.get(), cpu);
    }

    /** utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/PID/stat, after the command's parentheses). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static Caller rest(HttpClient http, int port, String model, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/" + model + "/infer"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return done -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((response, failure) -> done.accept(failure == null && response.statusCode() == 200));
    }

    private static Caller grpc(GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub, ModelInferRequest request) {
        return done -> Futures.addCallback(stub.modelInfer(request), new FutureCallback<ModelInferResponse>() {
            @Override
            public void onSuccess(ModelInferResponse response) {
                done.accept(response.getRawOutputContentsCount() > 0);
            }

            @Override
            public void onFailure(Throwable failure) {
                done.accept(false);
            }
        }, MoreExecutors.directExecutor());
    }

    private static byte[] json(String input, long[] shape, float[] values) {
        StringBuilder json = new StringBuilder(values.length * 12).append("{\"inputs\":[{\"name\":\"").append(input)
                .append("\",\"datatype\":\"FP32\",\"shape\":[");
        for (int i = 0; i < shape.length; i++) {
            json.append(i == 0 ? "" : ",").append(shape[i]);
        }
        json.append("],\"data\":[");
        for (int i = 0; i < values.length; i++) {
            json.append(i == 0 ? "" : ",").append(values[i]);
        }
        return json.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ModelInferRequest raw(String model, String input, long[] shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        ModelInferRequest.InferInputTensor.Builder tensor = ModelInferRequest.InferInputTensor.newBuilder().setName(input).setDatatype("FP32");
        for (long dim : shape) {
            tensor.addShape(dim);
        }
        return ModelInferRequest.newBuilder().setModelName(model).addInputs(tensor).addRawInputContents(ByteString.copyFrom(bytes.array())).build();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
