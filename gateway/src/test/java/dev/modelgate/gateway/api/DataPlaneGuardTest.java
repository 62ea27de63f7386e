package dev.modelgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.feedback.FeedbackHandler;
import dev.modelgate.gateway.feedback.FeedbackParser;
import dev.modelgate.gateway.config.ServerConfig;
import dev.modelgate.gateway.keys.ApiKey;
import dev.modelgate.gateway.keys.KeyRing;
import dev.modelgate.gateway.keys.KeySecrets;
import dev.modelgate.gateway.telemetry.FeedbackEvent;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The data plane in-process with {@code auth.required: true}: who is refused with which status and
 * headers, and that each refusal of an infer call is a row carrying the key's name, never its secret.
 * An admitted call reaches the infer handler, which answers 400 for the empty body these tests send;
 * feedback is guarded alike and its rows carry the key's name.
 */
class DataPlaneGuardTest {

    private static final String INFER = "/v2/models/fraud-score/infer";
    private static final KeySecrets SECRETS = new KeySecrets(new SecureRandom());

    private final KeyRing ring = new KeyRing();
    private final List<FeedbackEvent> feedback = new CopyOnWriteArrayList<>();
    private TestApi api;
    private HttpClient client;

    private record Answer(int status, MultiMap headers, JsonObject body) {}

    private void start(Map<String, RateLimits> modelLimits) throws Exception {
        start(new DataPlaneAccess.Policy(true, modelLimits, RateLimits.NONE, name -> false, RateLimits.NONE));
    }

    private void start(DataPlaneAccess.Policy policy) throws Exception {
        api = new TestApi(new ServerConfig("127.0.0.1", 0, 10_000, 10_000, Duration.ofSeconds(2), ""), List.of(),
                new FeedbackHandler(new FeedbackParser("test"), feedback::add, Clock.systemUTC()), policy, ring);
        client = api.vertx.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private String key(String name, Set<String> models, Instant expires, RateLimits limits) {
        KeySecrets.Issued issued = SECRETS.issue();
        List<ApiKey> keys = new java.util.ArrayList<>(ring.all());
        keys.add(new ApiKey(name, "team", issued.keyId(), issued.salt(), issued.hash(), models, expires, Optional.empty(), limits,
                Instant.now()));
        ring.replaceAll(keys);
        return issued.secret();
    }

    @Test
    void aMissingUnknownOrExpiredKeyIs401AndLogged() throws Exception {
        start(Map.of());
        String expired = key("old", Set.of(), Instant.now().minusSeconds(1), RateLimits.NONE);
        String valid = key("checkout", Set.of(), null, RateLimits.NONE);

        Answer missing = send(Map.of());
        Answer forged = send(Map.of("X-API-Key", valid.substring(0, valid.length() - 2) + "xx"));
        Answer old = send(Map.of("Authorization", "Bearer " + expired));

        assertThat(List.of(missing.status(), forged.status(), old.status())).containsOnly(401);
        assertThat(missing.body().getString("error")).contains("missing API key");
        assertThat(forged.body().getString("error")).isEqualTo("invalid API key");
        assertThat(old.body().getString("error")).contains("'old' expired");
        assertThat(missing.headers().get("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(api.events).extracting(PredictionEvent::status).containsExactly(401, 401, 401);
        assertThat(api.events).extracting(PredictionEvent::apiKey).containsExactly("", "", "old");
        assertThat(api.events).allSatisfy(event -> assertThat(new String(event.requestJson())).doesNotContain(valid, expired));
    }

    @Test
    void aValidKeyByEitherHeaderIsServedAndNamedInTheRow() throws Exception {
        start(Map.of());
        String secret = key("checkout", Set.of(), null, RateLimits.NONE);

        assertThat(send(Map.of("Authorization", "Bearer " + secret)).status()).isEqualTo(400);
        assertThat(send(Map.of("X-API-Key", secret)).status()).isEqualTo(400);
        // Authorization wins: a valid X-API-Key does not rescue a bad bearer token
        assertThat(send(Map.of("Authorization", "Bearer mgk_0000000000000000_x", "X-API-Key", secret)).status()).isEqualTo(401);

        assertThat(api.events).extracting(PredictionEvent::apiKey).containsExactly("checkout", "checkout", "");
    }

    @Test
    void aKeyScopedToOtherModelsIs403() throws Exception {
        start(Map.of());
        String secret = key("scoring-only", Set.of("credit-score"), null, RateLimits.NONE);

        Answer answer = send(Map.of("X-API-Key", secret));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body().getString("error")).isEqualTo("API key 'scoring-only' may not call model 'fraud-score'");
        assertThat(api.events).singleElement().satisfies(event -> {
            assertThat(event.status()).isEqualTo(403);
            assertThat(event.apiKey()).isEqualTo("scoring-only");
        });
    }

    @Test
    void overTheKeysRateIs429WithRetryAfterAndRateLimitHeaders() throws Exception {
        start(Map.of());
        String secret = key("burst-3", Set.of(), null, new RateLimits(0.5, 3, 0, RateLimits.DAY));

        List<Answer> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(send(Map.of("X-API-Key", secret)));
        }

        assertThat(answers).extracting(Answer::status).containsExactly(400, 400, 400, 429);
        assertThat(answers).extracting(a -> a.headers().get("RateLimit-Remaining")).containsExactly("2", "1", "0", "0");
        assertThat(answers.get(0).headers().get("RateLimit-Limit")).isEqualTo("3");
        Answer refused = answers.get(3);
        assertThat(refused.headers().get("Retry-After")).isEqualTo("2"); // one token every 2 s
        assertThat(refused.body().getString("error")).isEqualTo("rate limit exceeded for API key 'burst-3': retry in 2 s");
        assertThat(api.events).extracting(PredictionEvent::status).containsExactly(400, 400, 400, 429);
        assertThat(api.events.get(3).requestJson()).isEqualTo("{}".getBytes());
    }

    @Test
    void aQuotaRefusesUntilItsPeriodEndsThenServesAgain() throws Exception {
        start(Map.of());
        String secret = key("quota-2", Set.of(), null, new RateLimits(0, 1, 2, Duration.ofSeconds(2)));
        awaitStartOfPeriod(2_000);

        List<Integer> first = List.of(send(Map.of("X-API-Key", secret)).status(), send(Map.of("X-API-Key", secret)).status());
        Answer over = send(Map.of("X-API-Key", secret));
        Thread.sleep(Long.parseLong(over.headers().get("Retry-After")) * 1_000);
        Answer next = send(Map.of("X-API-Key", secret));

        assertThat(first).containsExactly(400, 400);
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.headers().get("RateLimit-Limit")).isEqualTo("2");
        assertThat(over.body().getString("error")).startsWith("quota exceeded for API key 'quota-2'");
        assertThat(next.status()).isEqualTo(400);
        assertThat(next.headers().get("RateLimit-Remaining")).isEqualTo("1");
    }

    @Test
    void aModelsLimitCountsEveryKeyTogether() throws Exception {
        start(Map.of("fraud-score", new RateLimits(0.1, 2, 0, RateLimits.DAY)));
        String a = key("a", Set.of(), null, RateLimits.NONE);
        String b = key("b", Set.of(), null, RateLimits.NONE);

        List<Integer> statuses = List.of(send(Map.of("X-API-Key", a)).status(), send(Map.of("X-API-Key", b)).status(),
                send(Map.of("X-API-Key", a)).status());

        assertThat(statuses).containsExactly(400, 400, 429);
    }

    @Test
    void withKeysOptionalAnonymousCallersShareTheirLimitAndANonKeyBearerIsNoKey() throws Exception {
        start(new DataPlaneAccess.Policy(false, Map.of(), new RateLimits(0.1, 2, 0, RateLimits.DAY), name -> false, RateLimits.NONE));
        String secret = key("checkout", Set.of(), null, RateLimits.NONE);

        // the admin token sent for X-Force-Variant is no API key: the call is anonymous, not refused
        List<Integer> anonymous = List.of(send(Map.of()).status(), send(Map.of("Authorization", "Bearer admin-token")).status(),
                send(Map.of()).status());
        Answer keyed = send(Map.of("X-API-Key", secret));
        Answer forged = send(Map.of("X-API-Key", "mgk_0000000000000000_forged"));

        assertThat(anonymous).containsExactly(400, 400, 429);
        assertThat(keyed.status()).isEqualTo(400); // a key has its own limits, not the anonymous callers'
        assertThat(forged.status()).isEqualTo(401); // a key that is sent is checked even when keys are optional
    }

    @Test
    void feedbackNeedsAKeyTooAndCarriesItsName() throws Exception {
        start(Map.of());
        String secret = key("checkout", Set.of(), null, RateLimits.NONE);
        String item = "{\"request_id\": \"r-1\", \"metric\": \"converted\", \"value\": 1}";

        Answer anonymous = send("/v1/feedback", item, Map.of());
        Answer keyed = send("/v1/feedback", item, Map.of("Authorization", "Bearer " + secret));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(keyed.status()).isEqualTo(202);
        assertThat(feedback).singleElement().satisfies(event -> assertThat(event.apiKey()).isEqualTo("checkout"));
        assertThat(api.events).isEmpty(); // feedback refusals are no prediction rows
    }

    /** Waits until a period of {@code millis} has just begun, so that a test's requests fall in one period. */
    private static void awaitStartOfPeriod(long millis) throws InterruptedException {
        long intoPeriod = System.currentTimeMillis() % millis;
        if (intoPeriod > millis / 4) {
            Thread.sleep(millis - intoPeriod + 20);
        }
    }

    private Answer send(Map<String, String> headers) throws Exception {
        return send(INFER, "{}", headers);
    }

    private Answer send(String uri, String body, Map<String, String> headers) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(api.port)
                .setURI(uri);
        headers.forEach(options::putHeader);
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.headers(),
                        new JsonObject(b))))
                .await(10, TimeUnit.SECONDS);
    }
}
