package dev.modelgate.bench;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.nio.file.Path;

/**
 * Sends every example once to a running gateway and fails unless each answer carries its expected
 * score: run before a throughput measurement, since timing wrong answers would be worthless.
 *
 * <p>System properties: {@code bench.url} (required: the model's infer URL), {@code bench.examples} (an
 * {@link EngineExamples} file; the demo's examples when unset, read from {@code modelgate.demo.dir}).
 */
public final class GatewayScoreCheck {

    private static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    private GatewayScoreCheck() {
    }

    public static void main(String[] args) throws Exception {
        String url = BenchProperties.string("bench.url", null);
        if (url == null) {
            throw new IllegalArgumentException("bench.url must name the infer URL to check");
        }
        String file = BenchProperties.string("bench.examples", null);
        EngineExamples examples = file == null ? EngineExamples.fraudScoreDemo() : EngineExamples.read(Path.of(file));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClientAgent client = vertx.createHttpClient();
            // requests are issued from the event loop: Vert.x 5.0's client can lose the answer to a request
            // sent from a plain thread right after the previous one (seen here as a check that never ended)
            Context loop = vertx.getOrCreateContext();
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").setTimeout(REQUEST_TIMEOUT_MILLIS);
            for (int example = 0; example < examples.size(); example++) {
                Buffer body = Buffer.buffer(examples.requestBody(example));
                Promise<Buffer> reply = Promise.promise();
                loop.runOnContext(ignored -> client.request(request).compose(outgoing -> outgoing.send(body))
                        .compose(response -> response.statusCode() == 200 ? response.body()
                                : response.body().map(error -> {
                                    throw new IllegalStateException(url + " answered HTTP " + response.statusCode()
                                            + ": " + error);
                                }))
                        .onComplete(reply));
                Buffer answer = reply.future().await();
                examples.checkScore(example, examples.score(answer.toJsonObject()), url);
            }
            System.out.printf("%s: all %d examples scored as expected%n", url, examples.size());
        } finally {
            vertx.close().await();
        }
    }
}
