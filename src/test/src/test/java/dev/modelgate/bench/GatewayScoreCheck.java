package dev.modelgate.bench;

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
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            for (int example = 0; example < examples.size(); example++) {
                Buffer body = Buffer.buffer(examples.requestBody(example));
                Buffer answer = client.request(request).compose(outgoing -> outgoing.send(body))
                        .compose(response -> response.statusCode() == 200 ? response.body()
                                : response.body().map(error -> {
                                    throw new IllegalStateException(url + " answered HTTP " + response.statusCode()
                                            + ": " + error);
                                }))
                        .await();
                examples.checkScore(example, examples.score(answer.toJsonObject()), url);
            }
            System.out.printf("%s: all %d examples scored as expected%n", url, examples.size());
        } finally {
            vertx.close().await();
        }
    }
}
