package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.inference.remote.StubServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A remote inference server that is down, or answers its metadata too slowly, when the gateway starts
 * costs that one variant, not the gateway: it starts, serves the model's other variants, reports the
 * missing one as not ready, and serves it within seconds of its server coming back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteBackendDownE2ETest {

    private static final String TOKEN = "down-token";

    private final ClickHouse clickHouse = new ClickHouse();
    private final AtomicLong slowMetadataMillis = new AtomicLong(1_500);
    private final int downPort = GatewayProcess.freePort();
    private Vertx vertx;
    private StubServer slow;
    private StubServer down;
    private DemoGateway gateway;
    private InferApi api;

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        slow = kserve(0, slowMetadataMillis);
        gateway = DemoGateway.start("e2e_down", clickHouse, this::config, Map.of("MODELGATE_ADMIN_TOKEN", TOKEN));
        api = gateway.api;
    }

    /** {@code fraud}: the remote variant (its server down) first, the local model as fallback; {@code fraud-slow}: a slow server. */
    private Path config(Path dir) throws IOException {
        Path model = GatewayProcess.REPO.resolve("demo/fraud-score.onnx");
        return Files.writeString(dir.resolve("down.yaml"), """
                models:
                  fraud:
                    default_variant: remote
                    fallback: [local]
                    variants:
                      remote:
                        backend: {type: kserve, url: "http://127.0.0.1:%1$d", model: fraud-remote, request_timeout_ms: 500}
                      local:
                        backend: {type: onnx, path: "%2$s", device: cpu}
                  fraud-slow:
                    default_variant: local
                    variants:
                      local:
                        backend: {type: onnx, path: "%2$s", device: cpu}
                      slow:
                        backend: {type: kserve, url: "%3$s", model: fraud-remote, request_timeout_ms: 500}
                telemetry: {flush_interval_ms: 200}
                """.formatted(downPort, model, slow.baseUri()));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (StubServer server : new StubServer[] {slow, down}) {
            if (server != null) {
                server.close();
            }
        }
        vertx.close().await();
    }

    private StubServer kserve(int port, AtomicLong metadataDelayMillis) {
        return StubServer.start(vertx, port)
                .route(HttpMethod.GET, "/v2/models/fraud-remote", request -> StubServer.Reply.ok(FraudRemote.METADATA)
                        .after(metadataDelayMillis.get()))
                .route(HttpMethod.GET, "/v2/models/fraud-remote/ready", StubServer.Reply.ok("{}"))
                .route(HttpMethod.POST, "/v2/models/fraud-remote/infer", StubServer.Reply.ok(FraudRemote.ANSWER));
    }

    @Test
    void aVariantWhoseServerIsDownIsRoutedAroundReportedAndServedWithinFiveSecondsOfItsReturn() throws Exception {
        HttpResponse<String> served = api.post("/v2/models/fraud/infer", FraudRemote.ONE_ROW);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.headers().firstValue("X-Variant")).as("the fallback serves").contains("local");

        HttpResponse<String> modelReady = api.get("/v2/models/fraud/ready");
        assertThat(modelReady.statusCode()).as("the model answers through its fallback").isEqualTo(200);
        assertThat(api.json(modelReady).at("/variants/remote").asBoolean()).isFalse();
        assertThat(api.json(modelReady).at("/variants/local").asBoolean()).isTrue();
        HttpResponse<String> health = api.get("/v2/health/ready");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(api.json(health).get("unavailable_variants").toString()).contains("fraud/remote");
        assertThat(backendReady("fraud", "remote")).isFalse();
        assertThat(api.get("/v2/models/fraud").statusCode()).as("metadata from the ready variant meanwhile").isEqualTo(200);

        down = kserve(downPort, new AtomicLong());
        long up = System.nanoTime();
        String variant = "";
        while (!variant.equals("remote") && System.nanoTime() - up < Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(50);
            variant = api.post("/v2/models/fraud/infer", FraudRemote.ONE_ROW).headers().firstValue("X-Variant").orElse("");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - up);
        System.out.printf("remote variant served %d ms after its server came up%n", took.toMillis());
        assertThat(variant).as("served by its own server again").isEqualTo("remote");
        assertThat(took).as("time from the server's return to its first answer").isLessThan(Duration.ofSeconds(5));
        assertThat(backendReady("fraud", "remote")).isTrue();
        assertThat(api.json(api.get("/v2/models/fraud")).get("platform").asText()).isEqualTo("triton");
        assertThat(gateway.process.log()).as("no stack trace for a peer that is down").doesNotContain("\tat ");
    }

    @Test
    void metadataSlowerThanTheRequestTimeoutLeavesTheVariantNotReadyUntilItAnswersInTime() throws Exception {
        assertThat(backendReady("fraud-slow", "slow")).as("metadata took 1.5 s, the timeout is 0.5 s").isFalse();
        assertThat(api.post("/v2/models/fraud-slow/infer", FraudRemote.ONE_ROW).statusCode()).isEqualTo(200);

        slowMetadataMillis.set(0);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!backendReady("fraud-slow", "slow") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(backendReady("fraud-slow", "slow")).isTrue();
    }

    private boolean backendReady(String model, String variant) throws Exception {
        HttpResponse<String> response = api.admin(TOKEN, "test", "GET", "/admin/backends", null);
        for (JsonNode backend : api.json(response).get("backends")) {
            if (backend.get("model").asText().equals(model) && backend.get("variant").asText().equals(variant)) {
                return backend.get("ready").asBoolean();
            }
        }
        throw new AssertionError("no backend " + model + "/" + variant + " in " + response.body());
    }
}
