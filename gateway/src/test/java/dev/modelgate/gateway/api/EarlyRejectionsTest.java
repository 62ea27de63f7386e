package dev.modelgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.config.ServerConfig;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API's router in-process: requests to a known model that fail before the infer handler answers
 * them are answered in JSON and logged once, under the request id they were answered with.
 */
class EarlyRejectionsTest {

    private static final int MAX_BODY_BYTES = 1_000;
    private static final int MAX_UPLOAD_BYTES = 10_000;
    private static final String TOKEN = "admin-token";
    /** Admin endpoints that answer with the length of the body they were given. */
    private static final AdminRoutes BODY_LENGTHS = router -> {
        router.put("/admin/models/:model/reference").handler(ctx -> ctx.response().end(String.valueOf(ctx.body().length())));
        router.put("/admin/experiments/:name").handler(ctx -> ctx.response().end(String.valueOf(ctx.body().length())));
    };

    private TestApi api;
    private List<PredictionEvent> events;
    private HttpClient client;
    private int port;

    private record Answer(int status, String requestId, String body) {}

    @BeforeEach
    void start() throws Exception {
        api = new TestApi(new ServerConfig("127.0.0.1", 0, MAX_BODY_BYTES, MAX_UPLOAD_BYTES, Duration.ofSeconds(2), TOKEN),
                List.of(BODY_LENGTHS), ctx -> ctx.response().end());
        events = api.events;
        port = api.port;
        client = api.vertx.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void aBodyOverTheLimitIsAnswered413AndLoggedOnce() throws Exception {
        Answer answer = send(HttpMethod.POST, "/v2/models/fraud-score/infer", "{\"inputs\":[" + " ".repeat(MAX_BODY_BYTES) + "]}");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).isEqualTo("{\"error\":\"request body larger than 1000 bytes\"}");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.requestId()).isEqualTo(answer.requestId());
            assertThat(event.status()).isEqualTo(413);
            assertThat(event.error()).isEqualTo("request body larger than 1000 bytes");
        });
    }

    @Test
    void aQueryStringTheRouterCannotDecodeIsAnswered400AndLoggedOnce() throws Exception {
        Answer answer = send(HttpMethod.POST, "/v2/models/fraud-score/infer?unit=%zz", "{}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).startsWith("{\"error\":\"bad request");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.requestId()).isEqualTo(answer.requestId());
            assertThat(event.model()).isEqualTo("fraud-score");
            assertThat(event.status()).isEqualTo(400);
        });
    }

    @Test
    void unknownModelsAndOtherMethodsAreAnsweredWithoutARow() throws Exception {
        assertThat(send(HttpMethod.POST, "/v2/models/no-such-model/infer?unit=%zz", "{}").status()).isEqualTo(400);
        assertThat(send(HttpMethod.POST, "/v2/models/no-such-model/infer", " ".repeat(2 * MAX_BODY_BYTES)).status()).isEqualTo(413);
        assertThat(send(HttpMethod.PUT, "/v2/models/fraud-score/infer", "{}").status()).isEqualTo(405);

        assertThat(events).isEmpty();
    }

    @Test
    void referenceUploadsHaveTheirOwnLargerBodyLimit() throws Exception {
        String dataSet = "x".repeat(5 * MAX_BODY_BYTES);

        assertThat(send(HttpMethod.PUT, "/admin/models/fraud-score/reference", dataSet))
                .isEqualTo(new Answer(200, null, String.valueOf(dataSet.length())));
        assertThat(send(HttpMethod.PUT, "/admin/experiments/exp", dataSet).body())
                .as("other admin bodies keep server.max_body_bytes").isEqualTo("{\"error\":\"request body larger than 1000 bytes\"}");
        assertThat(send(HttpMethod.PUT, "/admin/models/fraud-score/reference", "x".repeat(MAX_UPLOAD_BYTES + 1)).body())
                .isEqualTo("{\"error\":\"request body larger than 10000 bytes\"}");
    }

    /** Sent as written: Vert.x's client, unlike java.net.URI, lets a malformed escape through. */
    private Answer send(HttpMethod method, String uri, String body) throws Exception {
        return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri)
                        .putHeader("Authorization", "Bearer " + TOKEN))
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(),
                        response.getHeader(InferenceHandler.REQUEST_ID_HEADER), b.toString())))
                .await(10, TimeUnit.SECONDS);
    }
}
