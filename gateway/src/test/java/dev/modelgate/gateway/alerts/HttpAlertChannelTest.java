package dev.modelgate.gateway.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.gateway.config.AlertsConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery over HTTP: retries with backoff, the circuit breaker, supersession, and the real Alertmanager's v2 API. */
class HttpAlertChannelTest {

    private static final String ALERTMANAGER = System.getenv().getOrDefault("MODELGATE_ALERTMANAGER_URL", "http://127.0.0.1:9093");
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(80), Duration.ofSeconds(2));

    private Vertx vertx;
    private WebClient client;
    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            received.add(body.toString());
            boolean fail = failuresLeft.getAndDecrement() > 0;
            request.response().setStatusCode(fail ? 503 : 200).end(fail ? "busy" : "");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void failedDeliveriesAreRetriedUntilTheReceiverAcceptsThem() throws Exception {
        failuresLeft.set(2);
        AlertChannel channel = channel(CircuitBreaker.ofDefaults("test"));

        await(channel.deliver(TestAlerts.firing("m", "v1", Instant.now())));

        assertThat(received).hasSize(3).allSatisfy(body -> assertThat(body).contains("\"model\":\"m\""));
    }

    @Test
    void anOpenBreakerFailsFastWithoutCallingTheReceiver() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("test");
        breaker.transitionToOpenState();
        AlertChannel channel = channel(breaker);

        assertThatThrownBy(() -> await(channel.deliver(TestAlerts.firing("m", "v1", Instant.now()))))
                .hasMessageContaining("CircuitBreaker 'test' is OPEN");
        assertThat(received).isEmpty();
    }

    @Test
    void aNewerAlertForTheVariantReplacesOneStillBeingRetried() throws Exception {
        failuresLeft.set(1);
        RetryPolicy slow = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2));
        AlertChannel channel = channel(CircuitBreaker.ofDefaults("test"), slow);
        DriftAlert fired = TestAlerts.firing("m", "v1", Instant.now());

        Future<Void> firing = channel.deliver(fired);
        while (received.isEmpty()) {
            Thread.sleep(5);
        }
        Future<Void> resolved = channel.deliver(TestAlerts.resolved(fired, Instant.now()));
        await(resolved);

        assertThatThrownBy(() -> await(firing)).hasMessageContaining("superseded");
        // the firing alert failed once and was not re-sent after the resolution
        assertThat(received).hasSize(2);
        assertThat(received.get(1)).contains("\"status\":\"resolved\"");
    }

    @Test
    void alertmanagerAcceptsTheAlertAndShowsItWithItsLabels() throws Exception {
        String variant = "unit-" + UUID.randomUUID();
        AlertsConfig config = new AlertsConfig(ALERTMANAGER + "/", List.of(), Duration.ofMinutes(5), "");
        AlertChannel alertmanager = AlertChannels.create(vertx, client, config, FAST).get(0);
        DriftAlert fired = TestAlerts.firing("drift-unit", variant, Instant.now().truncatedTo(ChronoUnit.SECONDS));

        await(alertmanager.deliver(fired));
        JsonNode active = alerts("active=true&filter=variant%3D%22" + variant + "%22");
        await(alertmanager.deliver(TestAlerts.resolved(fired, Instant.now())));
        JsonNode afterResolution = alerts("active=true&filter=variant%3D%22" + variant + "%22");

        assertThat(active).hasSize(1);
        JsonNode labels = active.get(0).get("labels");
        assertThat(labels.get("alertname").asText()).isEqualTo("ModelDrift");
        assertThat(labels.get("model").asText()).isEqualTo("drift-unit");
        assertThat(labels.get("severity").asText()).isEqualTo("warning");
        assertThat(active.get(0).at("/annotations/drifted_features").asText()).isEqualTo("amount, is_foreign");
        assertThat(Instant.parse(active.get(0).get("startsAt").asText())).isEqualTo(fired.startsAt());
        assertThat(afterResolution).isEmpty();
    }

    @Test
    void aWebhookIsNamedInLogsByPositionAndHostNotByItsSecretPath() {
        String secretPath = "/services/T000/B000/" + UUID.randomUUID();
        AlertsConfig config = new AlertsConfig("", List.of(new AlertsConfig.Webhook("https://hooks.slack.example" + secretPath, true)),
                Duration.ofMinutes(5), "");

        AlertChannel webhook = AlertChannels.create(vertx, client, config, FAST).get(0);

        assertThat(webhook.name()).isEqualTo("webhook 0 (hooks.slack.example)");
    }

    private AlertChannel channel(CircuitBreaker breaker) {
        return channel(breaker, FAST);
    }

    private AlertChannel channel(CircuitBreaker breaker, RetryPolicy retry) {
        String url = "http://127.0.0.1:" + server.actualPort() + "/hook";
        return new HttpAlertChannel("test", vertx, client, url, alert -> alert.webhookBody(false).toBuffer(), breaker, retry);
    }

    private static void await(Future<Void> delivery) throws Exception {
        try {
            delivery.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static JsonNode alerts(String query) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(ALERTMANAGER + "/api/v2/alerts?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
