package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.inference.remote.StubServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Backends as configured in YAML, end to end: a KServe v2 server (a real HTTP server of the test's)
 * behind a circuit breaker with the local ONNX model as its fallback; a bulkhead that refuses fast;
 * dynamic batching of concurrent single-row requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendsE2ETest {

    private static final String TOKEN = "backends-token";

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_backends");
    private final AtomicInteger mode = new AtomicInteger(); // 0 healthy, 1 failing, 2 slow
    private Vertx vertx;
    private Path reloadable;
    private Path singleRow;
    private StubServer triton;
    private GatewayProcess gateway;
    private InferApi api;

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        triton = StubServer.start(vertx)
                .route(HttpMethod.GET, "/v2/models/fraud-remote", StubServer.Reply.ok(FraudRemote.METADATA))
                .route(HttpMethod.GET, "/v2/models/fraud-remote/ready", StubServer.Reply.ok("{}"))
                .route(HttpMethod.POST, "/v2/models/fraud-remote/infer", request -> switch (mode.get()) {
                    case 1 -> StubServer.Reply.json(500, "{\"error\": \"GPU fell off the bus\"}");
                    case 2 -> StubServer.Reply.ok(FraudRemote.ANSWER).after(600);
                    default -> StubServer.Reply.ok(FraudRemote.ANSWER);
                });
        Path dir = Files.createTempDirectory("modelgate-e2e-backends");
        Path demo = GatewayProcess.REPO.resolve("demo/fraud-score.onnx");
        reloadable = dir.resolve("reloadable.onnx");
        Files.copy(demo, reloadable);
        singleRow = TestModels.singleRowDemo(dir);
        Path config = dir.resolve("backends.yaml");
        Files.writeString(config, """
                server: {max_body_bytes: 65536}
                models:
                  fraud:
                    timeout_ms: 2000
                    default_variant: remote
                    fallback: [local]
                    variants:
                      remote:
                        backend: {type: kserve, url: "%1$s", model: fraud-remote}
                        resilience:
                          timeout_ms: 300
                          circuit_breaker: {sliding_window_size: 10, minimum_number_of_calls: 5, failure_rate_threshold: 50,
                                            wait_in_open_state_ms: 1500, permitted_calls_in_half_open_state: 2}
                          retry: {max_attempts: 1}
                      local:
                        backend: {type: onnx, path: "%2$s", device: cpu}
                  fraud-narrow:
                    variants:
                      remote:
                        backend: {type: kserve, url: "%1$s", model: fraud-remote}
                        resilience:
                          timeout_ms: 1500
                          bulkhead: {max_concurrent_calls: 2}
                          circuit_breaker: {enabled: false}
                  fraud-batched:
                    variants:
                      local:
                        backend: {type: onnx, path: "%2$s", device: cpu, instances: 1}
                        batching: {max_batch_size: 16, max_queue_delay_ms: 5, max_queue_size: 256}
                  fraud-reload:
                    variants:
                      local:
                        backend: {type: onnx, path: "%3$s", device: cpu}
                telemetry: {flush_interval_ms: 200}
                """.formatted(triton.baseUri(), demo, reloadable));
        gateway = GatewayProcess.start(config, Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_ADMIN_TOKEN", TOKEN), dir);
        api = new InferApi(gateway.base);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        triton.close();
        vertx.close().await();
        clickHouse.dropDatabase(database);
    }

    @Test
    void remoteModelIsProxiedWithItsOwnMetadataAndTheExactProtocolBody() throws Exception {
        mode.set(0);
        HttpResponse<String> response = api.post("/v2/models/fraud/infer", FraudRemote.ONE_ROW);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Variant")).contains("remote");
        assertThat(api.json(response).at("/outputs/0/data/0").asDouble()).isEqualTo(0.25);
        // a body in the protocol's plain form goes on as the caller spelt it, with the request id the answer carries
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(lastSent())
                .isEqualTo("{\"id\":\"" + requestId + "\"," + FraudRemote.ONE_ROW.substring(1));
        assertThat(api.json(api.get("/v2/models/fraud")).at("/inputs/0/shape").toString()).isEqualTo("[-1,12]");

        // with parameters (which a server may read), the gateway writes the request itself
        String withUnit = "{\"id\":\"caller-1\",\"parameters\":{\"unit_id\":\"u-1\"}," + FraudRemote.ONE_ROW.substring(1);
        assertThat(api.post("/v2/models/fraud/infer", withUnit).statusCode()).isEqualTo(200);
        JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lastSent());
        assertThat(sent.has("parameters")).isFalse();
        assertThat(sent.at("/id").asText()).isEqualTo("caller-1");
        assertThat(sent.at("/inputs/0/name").asText()).isEqualTo("features");
        assertThat(sent.at("/inputs/0/shape").toString()).isEqualTo("[1,12]");
        assertThat(sent.at("/inputs/0/data/0").asDouble()).isEqualTo(120.5);
    }

    private String lastSent() {
        List<StubServer.Received> received = triton.received("/v2/models/fraud-remote/infer");
        return received.get(received.size() - 1).body();
    }

    @Test
    void failingServerOpensTheBreakerTheFallbackAnswersAndTheBreakerRecovers() throws Exception {
        mode.set(1);
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> response = api.post("/v2/models/fraud/infer", FraudRemote.ONE_ROW);
            assertThat(response.statusCode()).as("answered by the fallback").isEqualTo(200);
            assertThat(response.headers().firstValue("X-Variant")).contains("local");
        }
        assertThat(breakerState()).isEqualTo("open");
        assertThat(api.get("/metrics").body()).containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"fraud/remote\"[^}]*state=\"open\"[^}]*} 1.0");
        int callsWhileOpen = triton.received("/v2/models/fraud-remote/infer").size();
        long start = System.nanoTime();
        HttpResponse<String> fast = api.post("/v2/models/fraud/infer", FraudRemote.ONE_ROW);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("an open breaker fails fast").isLessThan(Duration.ofMillis(300));
        assertThat(fast.headers().firstValue("X-Variant")).contains("local");
        assertThat(triton.received("/v2/models/fraud-remote/infer")).hasSize(callsWhileOpen);

        mode.set(0);
        Thread.sleep(1_700); // the open-state wait, then half-open probes
        for (int i = 0; i < 3; i++) {
            api.post("/v2/models/fraud/infer", FraudRemote.ONE_ROW);
        }
        assertThat(breakerState()).isEqualTo("closed");
        assertThat(api.post("/v2/models/fraud/infer", FraudRemote.ONE_ROW).headers().firstValue("X-Variant")).contains("remote");
        String fallbacks = "SELECT count() FROM " + database + ".predictions WHERE model = 'fraud' AND assigned_variant = 'remote'"
                + " AND served_variant = 'local' AND assignment_reason = 'fallback'";
        assertThat(clickHouse.awaitCount("(" + fallbacks + ")", n -> true, Duration.ofMillis(100))).isNotNegative();
        assertThat(Long.parseLong(clickHouse.execute(fallbacks).trim())).isGreaterThanOrEqualTo(13);
    }

    @Test
    void slowServerTimesOutWithinItsBudgetAndTheFallbackAnswers() throws Exception {
        mode.set(2);
        long start = System.nanoTime();
        HttpResponse<String> response = api.post("/v2/models/fraud/infer", FraudRemote.ONE_ROW);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(600));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Variant")).contains("local");
        mode.set(0);
    }

    @Test
    void aFullBulkheadRefusesAtOnceInsteadOfPilingUp() throws Exception {
        mode.set(2);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        List<Long> started = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            started.add(System.nanoTime());
            calls.add(api.postAsync("/v2/models/fraud-narrow/infer", FraudRemote.ONE_ROW));
        }
        int refused = 0;
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> response = calls.get(i).get();
            if (response.statusCode() == 503) {
                refused++;
                assertThat(api.json(response).get("error").asText()).isNotBlank();
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
            }
        }
        assertThat(refused).as("two slots, eight callers").isGreaterThanOrEqualTo(5);
        mode.set(0);
    }

    @Test
    void concurrentSingleRowsRunInBatchesAndEachCallerGetsItsOwnRow() throws Exception {
        var reference = dev.modelgate.inference.demo.FraudScoreReference.load(GatewayProcess.REPO.resolve("demo/fraud-score.json"));
        java.util.Random random = new java.util.Random(5);
        List<float[]> rows = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            float[] features = ServeAndLogE2ETest.randomTransaction(random);
            rows.add(features);
            calls.add(api.postAsync("/v2/models/fraud-batched/infer", InferApi.fraudRequest(features, null)));
        }
        for (int i = 0; i < 64; i++) {
            HttpResponse<String> response = calls.get(i).get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(api.json(response).at("/outputs/0/data/0").asDouble())
                    .isCloseTo(reference.probability(rows.get(i)), org.assertj.core.data.Offset.offset(1e-6));
        }
        String metrics = api.get("/metrics").body();
        double batches = metric(metrics, "modelgate_batch_rows_count", "fraud-batched");
        double rowsRun = metric(metrics, "modelgate_batch_rows_sum", "fraud-batched");
        assertThat(rowsRun).isEqualTo(64.0);
        assertThat(batches).as("64 rows in fewer batches").isLessThan(64.0).isGreaterThanOrEqualTo(4.0);
    }

    @Test
    void reloadingAModelFileSwapsItWithoutFailingARequest() throws Exception {
        String twoRows = FraudRemote.ONE_ROW.replace("[1,12]", "[2,12]").replace("1.1]}", "1.1,120.5,400,2,75,12,0,14,0.3,1,0,200,1.1]}");
        assertThat(api.post("/v2/models/fraud-reload/infer", twoRows).statusCode()).as("the demo model takes batches").isEqualTo(200);

        Files.copy(singleRow, reloadable, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<CompletableFuture<HttpResponse<String>>> during = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            during.add(api.postAsync("/v2/models/fraud-reload/infer", FraudRemote.ONE_ROW));
        }
        HttpResponse<String> reloaded = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/admin/models/fraud-reload/variants/local/reload"))
                .header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        for (int i = 0; i < 100; i++) {
            during.add(api.postAsync("/v2/models/fraud-reload/infer", FraudRemote.ONE_ROW));
        }
        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        for (CompletableFuture<HttpResponse<String>> call : during) {
            assertThat(call.get().statusCode()).as("no request fails during a reload").isEqualTo(200);
        }
        HttpResponse<String> afterwards = api.post("/v2/models/fraud-reload/infer", twoRows);
        assertThat(afterwards.statusCode()).as("the new file fixes the batch dimension to 1").isEqualTo(400);
        assertThat(api.json(api.get("/v2/models/fraud-reload")).at("/inputs/0/shape").toString()).isEqualTo("[1,12]");

        HttpResponse<String> remote = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/admin/models/fraud/variants/remote/reload"))
                .header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(remote.statusCode()).as("a remote variant has no file to reload").isEqualTo(404);
    }

    @Test
    void adminBackendsListsEveryVariantWithItsBreaker() throws Exception {
        HttpResponse<String> response = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/admin/backends"))
                .header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode backends = api.json(response).get("backends");
        assertThat(backends).hasSize(5);
        assertThat(backends.findValuesAsText("type")).contains("kserve", "onnx");
    }

    private String breakerState() throws Exception {
        HttpResponse<String> response = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/admin/backends"))
                .header("Authorization", "Bearer " + TOKEN).GET());
        for (JsonNode backend : api.json(response).get("backends")) {
            if (backend.get("model").asText().equals("fraud") && backend.get("variant").asText().equals("remote")) {
                return backend.at("/circuit_breaker/state").asText();
            }
        }
        return "none";
    }

    private static double metric(String metrics, String name, String model) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*model=\"" + model + "\"[^}]*} ([0-9.E+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
