package dev.modelgate.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Unloaded latency of several HTTP paths to the same answer (say: the backend called directly, through
 * nginx, through the gateway), so that their differences are what each hop adds. All paths are measured
 * at once from the same client, each at the same low constant rate, their schedules staggered so that
 * requests never fall due together: one after the other, the first path would pay for the client's own
 * warm-up and every path for whatever else the machine did at its turn. Open loop, latencies from each
 * request's due time ({@link OpenLoopDriver}); a request counts only when answered 200 with an
 * {@code "outputs"} member.
 *
 * <p>System properties (defaults): {@code bench.targets} (required: {@code name=url,name=url,...}),
 * {@code bench.body} (file holding the JSON request body; the demo's first example, as wrk sends it first,
 * read from {@code modelgate.demo.dir}), {@code bench.rate} (200 per second and
 * target), {@code bench.connections} (16), {@code bench.warmupSeconds} (10), {@code bench.seconds} (20), {@code bench.timeoutSeconds} (5), {@code bench.out}. Writes {@code <name>.p50_us} and the
 * rest of {@link LatencyReport} per target.
 */
public final class HttpLatencyBench {

    private HttpLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> targets = targets(BenchProperties.string("bench.targets", ""));
        String bodyFile = BenchProperties.string("bench.body", null);
        Buffer body = bodyFile == null ? Buffer.buffer(FraudScoreInputs.loadDemo().requestBody(0))
                : Buffer.buffer(Files.readAllBytes(Path.of(bodyFile)));
        double rate = BenchProperties.positiveDouble("bench.rate", 200);
        int connections = BenchProperties.positiveInt("bench.connections", 16);
        Duration warmUp = BenchProperties.seconds("bench.warmupSeconds", 10);
        Duration measured = BenchProperties.seconds("bench.seconds", 20);
        Duration timeout = BenchProperties.seconds("bench.timeoutSeconds", 5);
        BenchResults results = BenchResults.fromProperties();

        // One event loop: on a 2-core machine the generator must leave the servers as much CPU as it can.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClientAgent client = vertx.createHttpClient(
                    new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(connections));
            Context context = vertx.getOrCreateContext();
            long staggerNanos = Math.round(1e9 / rate / targets.size());
            List<Map.Entry<String, CompletableFuture<LatencyReport>>> runs = new ArrayList<>();
            for (Map.Entry<String, String> target : targets.entrySet()) {
                RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.getValue())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").setIdleTimeout(timeout.toMillis());
                post(client, request, body).await();
                System.out.printf("%s: open loop at %.0f requests/s to %s, %d s warm-up, %d s measured%n", target.getKey(),
                        rate, target.getValue(), warmUp.toSeconds(), measured.toSeconds());
                Operation operation = Operation.onContext(context, sequence -> post(client, request, body));
                long delay = runs.size() * staggerNanos;
                runs.add(Map.entry(target.getKey(), CompletableFuture.supplyAsync(() -> {
                    try {
                        TimeUnit.NANOSECONDS.sleep(delay);
                        return new OpenLoopDriver(rate, timeout.plusSeconds(1)).run(operation, warmUp, measured);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CompletionException(e);
                    }
                }, runnable -> new Thread(runnable, "open-loop-" + target.getKey()).start())));
            }
            for (Map.Entry<String, CompletableFuture<LatencyReport>> run : runs) {
                results.put(run.getKey(), run.getValue().get());
            }
        } finally {
            vertx.close().await();
        }
    }

    private static Map<String, String> targets(String list) {
        Map<String, String> targets = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            int equals = entry.indexOf('=');
            String name = equals > 0 ? entry.substring(0, equals).trim() : "";
            if (!name.matches("[A-Za-z0-9_]+") || !entry.substring(equals + 1).trim().startsWith("http://")) {
                throw new IllegalArgumentException("bench.targets must be name=http://... pairs separated by commas, got '"
                        + list + "'");
            }
            targets.put(name, entry.substring(equals + 1).trim());
        }
        return targets;
    }

    /** Fails unless answered 200 with outputs, so that a fast error page is never timed as an answer. */
    private static Future<Buffer> post(HttpClientAgent client, RequestOptions request, Buffer body) {
        return client.request(request)
                .compose(outgoing -> outgoing.send(body))
                .compose(response -> response.body().compose(answer -> {
                    if (response.statusCode() != 200 || answer.toString().indexOf("\"outputs\"") < 0) {
                        return Future.failedFuture("HTTP " + response.statusCode() + " from " + request.getURI() + ": " + answer);
                    }
                    return Future.succeededFuture(answer);
                }));
    }
}
