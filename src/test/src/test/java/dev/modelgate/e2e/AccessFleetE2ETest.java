package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API keys and rate limits on two replicas sharing a private Redis, with {@code auth.required: true}:
 * keys made through one replica's admin API work on both; refusals are 401 / 403 / 429 with the
 * RateLimit headers; a key's limit holds for the fleet, not per replica; a quota resets with its
 * period; when Redis dies each replica goes on counting alone, without failing or stalling a request.
 * Each refusal is a row of {@code predictions} with the key's name in {@code api_key}, as is the feedback a key sends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessFleetE2ETest {

    private static final String BODY = InferApi.fraudRequest(new float[] {120.5f, 400, 2, 75, 12, 0, 14, 0.3f, 1, 0, 200, 1.1f}, null);

    @RegisterExtension
    static final ExperimentFleet FLEET = new ExperimentFleet(dir -> "", """
            auth:
              required: true
              resync_interval_ms: 300
              probing: {enabled: false}
              # this shared 2-core host runs two replicas, the load and ClickHouse: allow Redis slow answers, so
              # that the fleet test measures fleet-wide counting, not the host's scheduling (the default is 100 ms)
              limiter: {redis_timeout_ms: 1000}
            """);

    private final ClickHouse clickHouse = new ClickHouse();

    @Test
    @Order(1)
    void refusalsAreJsonWithTheirStatusAndHeadersAndAreLoggedWithTheKeysName() throws Exception {
        String secret = create("{\"name\": \"checkout\", \"owner\": \"team-a\", \"models\": [\"fraud-score\"],"
                + " \"limits\": {\"rate_per_second\": 0.2, \"burst\": 2}}");
        String other = create("{\"name\": \"elsewhere\", \"models\": [\"*\"]}");
        revoke("elsewhere");

        HttpResponse<String> missing = infer(FLEET.apiA(), null);
        HttpResponse<String> revoked = infer(FLEET.apiB(), other);
        List<HttpResponse<String>> served = List.of(infer(FLEET.apiA(), secret), infer(FLEET.apiB(), secret));
        HttpResponse<String> limited = infer(FLEET.apiA(), secret);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).contains("missing API key");
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(served).extracting(HttpResponse::statusCode).containsExactly(200, 200);
        assertThat(served.get(1).headers().firstValue("RateLimit-Limit")).hasValue("2");
        assertThat(served.get(1).headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(limited.statusCode()).isEqualTo(429);
        // one token every 5 s, the first of them already on its way since the burst began
        String retryAfter = limited.headers().firstValue("Retry-After").orElseThrow();
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 5);
        assertThat(limited.headers().firstValue("RateLimit-Reset")).isPresent();
        assertThat(FLEET.apiA().json(limited).get("error").asText())
                .isEqualTo("rate limit exceeded for API key 'checkout': retry in " + retryAfter + " s");

        String where = FLEET.database() + ".predictions WHERE request_id IN ('" + requestId(missing) + "', '"
                + requestId(served.get(0)) + "', '" + requestId(limited) + "')";
        clickHouse.awaitCount(where, n -> n == 3, Duration.ofSeconds(20));
        assertThat(clickHouse.rows("SELECT status, api_key FROM " + where + " ORDER BY status"))
                .extracting(row -> row.get("status").asInt() + " " + row.get("api_key").asText())
                .containsExactly("200 checkout", "401 ", "429 checkout");
        assertThat(clickHouse.count(FLEET.database() + ".predictions WHERE position(request_json, '" + secret + "') > 0"
                + " OR position(error, 'mgk_') > 0")).isZero();

        HttpResponse<String> feedback = FLEET.apiB().send(HttpRequest.newBuilder(FLEET.apiB().uri("/v1/feedback"))
                .header("X-API-Key", secret).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"request_id\": \"" + requestId(served.get(0)) + "\", \"metric\": \"converted\", \"value\": 1}")));
        assertThat(feedback.statusCode()).isEqualTo(202);
        String feedbackRow = FLEET.database() + ".feedback WHERE request_id = '" + requestId(served.get(0)) + "'";
        clickHouse.awaitCount(feedbackRow, n -> n == 1, Duration.ofSeconds(20));
        assertThat(clickHouse.rows("SELECT api_key FROM " + feedbackRow)).extracting(row -> row.get("api_key").asText())
                .containsExactly("checkout");
    }

    @Test
    @Order(2)
    void aKeyScopedToOneModelIsRefused403ForAnother() throws Exception {
        String secret = create("{\"name\": \"scoped\", \"models\": [\"fraud-score\"]}");

        HttpResponse<String> elsewhere = FLEET.apiA().send(HttpRequest.newBuilder(FLEET.apiA().uri("/v2/models/credit-score/infer"))
                .header("X-API-Key", secret).POST(HttpRequest.BodyPublishers.ofString(BODY)));

        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(FLEET.apiA().json(elsewhere).get("error").asText()).isEqualTo("API key 'scoped' may not call model 'credit-score'");
        assertThat(infer(FLEET.apiB(), secret).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aQuotaRefusesUntilItsPeriodEndsThenServesAgain() throws Exception {
        String secret = create("{\"name\": \"quota\", \"limits\": {\"quota\": 3, \"quota_period_seconds\": 3}}");
        long intoPeriod = System.currentTimeMillis() % 3_000;
        if (intoPeriod > 1_000) {
            Thread.sleep(3_000 - intoPeriod + 50);
        }

        List<Integer> first = List.of(infer(FLEET.apiA(), secret).statusCode(), infer(FLEET.apiB(), secret).statusCode(),
                infer(FLEET.apiA(), secret).statusCode());
        HttpResponse<String> over = infer(FLEET.apiB(), secret);
        Thread.sleep(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow()) * 1_000 + 100);
        HttpResponse<String> next = infer(FLEET.apiB(), secret);

        assertThat(first).containsExactly(200, 200, 200); // one quota for the fleet: 3 in total, over both replicas
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("RateLimit-Limit")).hasValue("3");
        assertThat(FLEET.apiB().json(over).get("error").asText()).startsWith("quota exceeded for API key 'quota'");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.headers().firstValue("RateLimit-Remaining")).hasValue("2");
    }

    @Test
    @Order(4)
    void aKeyLimitedTo50PerSecondGetsAbout50PerSecondFromTheWholeFleet() throws Exception {
        String secret = create("{\"name\": \"fifty\", \"limits\": {\"rate_per_second\": 50, \"burst\": 50}}");

        long start = System.nanoTime();
        Map<Integer, AtomicInteger> statuses = hammer(secret, Duration.ofSeconds(5));
        double seconds = (System.nanoTime() - start) / 1e9;

        int served = statuses.getOrDefault(200, new AtomicInteger()).get();
        int refused = statuses.getOrDefault(429, new AtomicInteger()).get();
        double expected = 50 + 50 * seconds; // the burst, then the rate
        System.out.printf("fleet limit: %d served, %d refused in %.1f s (expected about %.0f; per-replica limits would allow %.0f)%n",
                served, refused, seconds, expected, 2 * expected);
        assertThat(served + refused).as("the load exceeded what per-replica limits would allow").isGreaterThan((int) (2.2 * expected));
        assertThat(served).isBetween((int) (0.8 * expected), (int) (1.15 * expected));
        assertThat(statuses.keySet()).containsOnly(200, 429);
    }

    @Test
    @Order(5)
    void whenRedisDiesEachReplicaLimitsAloneWithoutFailingOrStallingARequest() throws Exception {
        String secret = create("{\"name\": \"burst-5\", \"limits\": {\"rate_per_second\": 0.1, \"burst\": 5}}");
        FLEET.killRedis();
        try {
            long start = System.nanoTime();
            List<Integer> a = new ArrayList<>();
            List<Integer> b = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                a.add(infer(FLEET.apiA(), secret).statusCode());
                b.add(infer(FLEET.apiB(), secret).statusCode());
            }
            double millisPerRequest = (System.nanoTime() - start) / 1e6 / 14;

            // each replica counts its own 5: the fleet serves 10 while Redis is down, 5 when it is up
            assertThat(a).containsExactly(200, 200, 200, 200, 200, 429, 429);
            assertThat(b).containsExactly(200, 200, 200, 200, 200, 429, 429);
            assertThat(millisPerRequest).isLessThan(200);
            for (InferApi api : List.of(FLEET.apiA(), FLEET.apiB())) {
                String metrics = api.get("/metrics").body();
                assertThat(metrics).containsPattern("(?m)^modelgate_ratelimit_redis_degraded\\{[^}]*} 1\\.0$");
                assertThat(metrics).containsPattern("(?m)^modelgate_ratelimit_local_fallbacks_total\\{[^}]*} [1-9]");
            }
        } finally {
            FLEET.startRedis();
        }
    }

    private String create(String json) throws Exception {
        HttpResponse<String> created = FLEET.admin(FLEET.apiA(), "POST", "/admin/keys", json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = FLEET.apiA().json(created);
        String name = body.at("/key/name").asText();
        // the other replica reads the key store every 300 ms
        ExperimentFleet.awaitTrue(() -> known(FLEET.apiB(), name), Duration.ofSeconds(5));
        return body.get("secret").asText();
    }

    private void revoke(String name) throws Exception {
        assertThat(FLEET.admin(FLEET.apiA(), "DELETE", "/admin/keys/" + name, null).statusCode()).isEqualTo(200);
        ExperimentFleet.awaitTrue(() -> !known(FLEET.apiB(), name), Duration.ofSeconds(5));
    }

    private static boolean known(InferApi api, String name) {
        try {
            return FLEET.admin(api, "GET", "/admin/keys/" + name, null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static HttpResponse<String> infer(InferApi api, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(ExperimentFleet.INFER)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        return api.send(request);
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    /**
     * Both replicas as fast as 32 requests in flight on each allow, for {@code duration}; the count of each
     * status. A plain client: checking every answer against the contract would make it the bottleneck.
     */
    private static Map<Integer, AtomicInteger> hammer(String secret, Duration duration) throws InterruptedException {
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> drivers = new ArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        for (InferApi api : List.of(FLEET.apiA(), FLEET.apiB())) {
            Thread driver = new Thread(() -> {
                Semaphore inFlight = new Semaphore(32);
                List<CompletableFuture<?>> pending = new ArrayList<>();
                while (System.nanoTime() < end) {
                    inFlight.acquireUninterruptibly();
                    pending.add(client.sendAsync(HttpRequest.newBuilder(api.uri(ExperimentFleet.INFER))
                                    .header("X-API-Key", secret).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString())
                            .whenComplete((response, failure) -> {
                                inFlight.release();
                                statuses.computeIfAbsent(failure == null ? response.statusCode() : -1, s -> new AtomicInteger())
                                        .incrementAndGet();
                            }));
                }
                pending.forEach(CompletableFuture::join);
            });
            driver.start();
            drivers.add(driver);
        }
        for (Thread driver : drivers) {
            driver.join();
        }
        return statuses;
    }
}
