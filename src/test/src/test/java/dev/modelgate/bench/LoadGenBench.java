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
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Open-loop HTTP load on a running gateway: POSTs the demo examples to the infer endpoint at a constant
 * rate over a bounded pool of HTTP/1.1 keep-alive connections, and reports latency percentiles measured
 * from each request's due time (see {@link OpenLoopDriver}). Before the clock starts, each example is
 * sent once and its score checked.
 *
 * <p>System properties (defaults): {@code bench.url} (http://127.0.0.1:8080/v2/models/fraud-score/infer),
 * {@code bench.rate} (1000 per second), {@code bench.connections} (16), {@code bench.warmupSeconds} (10),
 * {@code bench.seconds} (30), {@code bench.timeoutSeconds} (5), {@code bench.out} (key=value file),
 * {@code modelgate.demo.dir} (the repository's demo folder).
 */
public final class LoadGenBench {

    private LoadGenBench() {
    }

    public static void main(String[] args) throws Exception {
        String url = BenchProperties.string("bench.url", "http://127.0.0.1:8080/v2/models/fraud-score/infer");
        double rate = BenchProperties.positiveDouble("bench.rate", 1000);
        int connections = BenchProperties.positiveInt("bench.connections", 16);
        Duration warmUp = BenchProperties.seconds("bench.warmupSeconds", 10);
        Duration measured = BenchProperties.seconds("bench.seconds", 30);
        Duration timeout = BenchProperties.seconds("bench.timeoutSeconds", 5);
        FraudScoreInputs inputs = FraudScoreInputs.loadDemo();
        BenchResults results = BenchResults.fromProperties();

        // One event loop: on a 2-core machine the generator must leave the gateway as much CPU as it can.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClientAgent client = vertx.createHttpClient(
                    new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(connections));
            InferCalls calls = new InferCalls(client, url, timeout, inputs);
            Context context = vertx.getOrCreateContext();
            for (int example = 0; example < inputs.size(); example++) {
                double score = calls.score(example).await();
                inputs.checkScore(example, score, url);
            }
            System.out.printf("open loop: %.0f requests/s over at most %d connections to %s, %d s warm-up, %d s measured%n",
                    rate, connections, url, warmUp.toSeconds(), measured.toSeconds());
            LatencyReport report = new OpenLoopDriver(rate, timeout.plusSeconds(1))
                    .run(Operation.onContext(context, calls::send), warmUp, measured);
            results.put("gateway", report);
        } finally {
            vertx.close().await();
        }
    }

    /** The infer request for each example, prepared once so the measured loop only sends. */
    private static final class InferCalls {

        private final HttpClientAgent client;
        private final RequestOptions request;
        private final List<Buffer> bodies = new ArrayList<>();
        private final String outputName;

        InferCalls(HttpClientAgent client, String url, Duration timeout, FraudScoreInputs inputs) {
            this.client = client;
            this.request = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(url)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .setIdleTimeout(timeout.toMillis());
            for (int example = 0; example < inputs.size(); example++) {
                bodies.add(Buffer.buffer(inputs.requestBody(example)));
            }
            this.outputName = inputs.outputName();
        }

        /** Sends example {@code sequence mod n}; fails unless the gateway answers 200. */
        Future<Buffer> send(long sequence) {
            Buffer body = bodies.get(Math.floorMod(sequence, bodies.size()));
            return client.request(request)
                    .compose(outgoing -> outgoing.send(body))
                    .compose(response -> response.body().compose(answer -> response.statusCode() == 200
                            ? Future.succeededFuture(answer)
                            : Future.failedFuture("HTTP " + response.statusCode() + ": " + answer)));
        }

        /** The score the gateway returns for example {@code sequence}. */
        Future<Double> score(long sequence) {
            return send(sequence).map(answer -> {
                for (Object output : answer.toJsonObject().getJsonArray("outputs")) {
                    JsonObject tensor = (JsonObject) output;
                    if (outputName.equals(tensor.getString("name"))) {
                        return tensor.getJsonArray("data").getDouble(0);
                    }
                }
                throw new IllegalStateException("no output '" + outputName + "' in " + answer);
            });
        }
    }
}
