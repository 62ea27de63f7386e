package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A single node (no Redis) with keys declared in its YAML by their salted hash, computed here as the
 * README documents it (SHA-256 of the salt's bytes, then the secret's): a viewer key reads the admin
 * API and is refused what needs more, a declared key cannot be revoked through the API, every admin call
 * is a row of {@code admin_audit}; an HS256 JWT's role claim is its role; a key sweeping one feature over a grid fires an {@code ApiKeyProbing}
 * alert in the real Alertmanager within a minute and is then throttled; the gRPC listener refuses and limits keys as REST does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessSingleNodeE2ETest {

    private static final String TOKEN = "access-e2e-token";
    private static final String ALERTMANAGER = System.getenv().getOrDefault("MODELGATE_ALERTMANAGER_URL", "http://127.0.0.1:9093");
    private static final String VIEWER_SECRET = "mgk_00000000000000a1_viewer-secret-for-the-e2e-test-only";
    private static final String JWT_SECRET = "e2e-jwt-secret-of-at-least-32-bytes";
    private static final String GRPC_SECRET = "mgk_00000000000000c3_grpc-client-secret-for-the-e2e-test-only";
    private static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> RATE_LIMIT_REMAINING = Metadata.Key.of("ratelimit-remaining", Metadata.ASCII_STRING_MARSHALLER);
    /** Unique per run: alerts other runs left in the shared Alertmanager must not count. */
    private final String prober = "prober-" + UUID.randomUUID().toString().substring(0, 8);
    private final String proberSecret = "mgk_00000000000000b2_" + UUID.randomUUID();

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_access");
    private final ObjectMapper json = new ObjectMapper();
    private GatewayProcess gateway;
    private InferApi api;
    private int grpcPort;

    @BeforeAll
    void start() throws Exception {
        Path workDir = Files.createTempDirectory("modelgate-e2e-access");
        Path config = TestConfigs.demo(workDir, 200, "");
        Files.writeString(config, """
                auth:
                  required: true
                  keys:
                    - {name: ops-viewer, key_id: 00000000000000a1, salt: "%s", hash: "%s", role: viewer}
                    - {name: %s, key_id: 00000000000000b2, salt: "%s", hash: "%s", models: [fraud-score]}
                    - {name: grpc-client, key_id: 00000000000000c3, salt: "c3c3", hash: "%s", models: [fraud-score],
                       limits: {rate_per_second: 0.01, burst: 2}}
                  probing: {window_seconds: 2, min_requests: 10, threshold: 0.6, throttle_rate_per_second: 1}
                  jwt: {hs256_secret: "%s", role_claim: modelgate_role, issuer: "https://idp.example"}
                """.formatted("5a17", hash("5a17", VIEWER_SECRET), prober, "b0b0", hash("b0b0", proberSecret), hash("c3c3", GRPC_SECRET),
                        JWT_SECRET),
                StandardOpenOption.APPEND);
        gateway = GatewayProcess.start(config, Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_INSTANCE_ID", "e2e-access",
                "MODELGATE_GRPC_PORT", Integer.toString(grpcPort = GatewayProcess.freePort()),
                "MODELGATE_ADMIN_TOKEN", TOKEN,
                "MODELGATE_ALERTMANAGER_URL", ALERTMANAGER), workDir);
        api = new InferApi(gateway.base);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        clickHouse.dropDatabase(database);
    }

    @Test
    void aDeclaredViewerKeyReadsIsRefusedMoreAndEveryAdminCallIsAudited() throws Exception {
        int list = api.admin(VIEWER_SECRET, "e2e", "GET", "/admin/experiments", null).statusCode();
        HttpResponse<String> create = api.admin(VIEWER_SECRET, "e2e", "POST", "/admin/keys", "{\"name\": \"mine\"}");
        int revokeDeclared = api.admin(TOKEN, "e2e", "DELETE", "/admin/keys/ops-viewer", null).statusCode();
        int wrong = api.admin("mgk_00000000000000a1_not-the-secret", "e2e", "GET", "/admin/backends", null).statusCode();

        assertThat(list).isEqualTo(200);
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(api.json(create).get("error").asText()).isEqualTo("role viewer may not POST /admin/keys: it needs admin");
        assertThat(revokeDeclared).isEqualTo(409);
        assertThat(wrong).isEqualTo(401);
        String where = database + ".admin_audit WHERE instance_id = 'e2e-access'";
        clickHouse.awaitCount(where, n -> n >= 4, Duration.ofSeconds(20));
        assertThat(clickHouse.rows("SELECT key_name, role, method, path, status FROM " + where + " ORDER BY event_time_ms"))
                .extracting(row -> row.get("key_name").asText() + "|" + row.get("role").asText() + "|" + row.get("method").asText()
                        + " " + row.get("path").asText() + "|" + row.get("status").asInt())
                .containsSubsequence("ops-viewer|viewer|GET /admin/experiments|200", "ops-viewer|viewer|POST /admin/keys|403",
                        "admin_token|admin|DELETE /admin/keys/ops-viewer|409", "||GET /admin/backends|401");
        assertThat(clickHouse.count(database + ".admin_audit WHERE position(key_name, 'secret') > 0")).isZero();
        assertThat(gateway.log()).doesNotContain(VIEWER_SECRET, TOKEN);
    }

    @Test
    void anOperatorJwtReloadsButCannotManageKeys() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("carol")
                .issuer("https://idp.example").claim("modelgate_role", "operator")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new MACSigner(JWT_SECRET));
        String token = jwt.serialize();

        int drift = api.admin(token, "e2e", "GET", "/admin/models/fraud-score/drift", null).statusCode();
        HttpResponse<String> keys = api.admin(token, "e2e", "GET", "/admin/keys", null);
        int tampered = api.admin(token.substring(0, token.length() - 2) + "xx", "e2e", "GET", "/admin/backends", null).statusCode();

        assertThat(drift).isNotIn(401, 403);
        assertThat(keys.statusCode()).isEqualTo(403);
        assertThat(api.json(keys).get("error").asText()).isEqualTo("role operator may not GET /admin/keys: it needs admin");
        assertThat(tampered).isEqualTo(401);
        String where = database + ".admin_audit WHERE key_name = 'jwt:carol'";
        clickHouse.awaitCount(where, n -> n >= 2, Duration.ofSeconds(20));
        assertThat(clickHouse.rows("SELECT role, path, status FROM " + where + " ORDER BY event_time_ms"))
                .extracting(row -> row.get("role").asText() + " " + row.get("path").asText() + " " + row.get("status").asInt())
                .contains("operator /admin/keys 403");
    }

    @Test
    void aKeySweepingOneFeatureIsAlertedInAlertmanagerWithinAMinuteThenThrottled() throws Exception {
        long start = System.nanoTime();
        int throttled = 0;
        JsonNode alerts = activeAlerts();
        for (int i = 0; alerts.isEmpty() && System.nanoTime() - start < Duration.ofSeconds(60).toNanos(); i++) {
            float[] probe = {i * 5f, 400, 2, 75, 12, 0, 14, 0.3f, 1, 0, 200, 1.1f}; // amount swept, the rest held still
            HttpResponse<String> answer = api.send(HttpRequest.newBuilder(api.uri("/v2/models/fraud-score/infer"))
                    .header("X-API-Key", proberSecret).POST(HttpRequest.BodyPublishers.ofString(InferApi.fraudRequest(probe, null))));
            throttled += answer.statusCode() == 429 ? 1 : 0;
            Thread.sleep(40);
            if (i % 10 == 0) {
                alerts = activeAlerts();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(alerts).as("an ApiKeyProbing alert for %s within 60 s", prober).hasSize(1);
        assertThat(seconds).isLessThan(60);
        assertThat(alerts.get(0).at("/labels/severity").asText()).isEqualTo("warning");
        assertThat(alerts.get(0).at("/annotations/summary").asText()).startsWith("API key " + prober + ": suspicion");
        JsonNode monitoring = api.json(api.admin(TOKEN, "e2e", "GET", "/admin/keys/" + prober, null)).get("monitoring");
        assertThat(monitoring.get("flagged").asBoolean()).isTrue();
        assertThat(monitoring.get("one_feature_share").asDouble()).isGreaterThan(0.9);
        List<Integer> after = List.of(sweep(1_000), sweep(1_005), sweep(1_010));
        assertThat(after).as("held to 1 request/s once flagged").contains(429);
        assertThat(api.get("/metrics").body()).containsPattern("modelgate_keys_suspicion\\{[^}]*key=\"" + prober + "\"[^}]*} (0\\.9|1\\.0)");
    }

    @Test
    void theGrpcListenerChecksKeysAndLimitsAsTheHttpListenerDoes() throws Exception {
        float[] features = {120, 400, 2, 75, 12, 0, 14, 0.3f, 1, 0, 200, 1.1f};
        ModelInferRequest request = GrpcClients.typed(features, "grpc-unit");
        try (GrpcClients grpc = new GrpcClients(grpcPort)) {
            StatusRuntimeException missing = refusal(() -> grpc.infer(request, new Metadata()));
            StatusRuntimeException invalid = refusal(() -> grpc.infer(request, GrpcClients.metadata("x-api-key", "mgk_00000000000000c3_wrong")));
            GrpcClients.Answer first = grpc.infer(request, GrpcClients.metadata("authorization", "Bearer " + GRPC_SECRET));
            GrpcClients.Answer second = grpc.infer(request, GrpcClients.metadata("x-api-key", GRPC_SECRET));
            StatusRuntimeException limited = refusal(() -> grpc.infer(request, GrpcClients.metadata("x-api-key", GRPC_SECRET)));

            assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(missing.getStatus().getDescription()).startsWith("missing API key");
            assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(invalid.getStatus().getDescription()).isEqualTo("invalid API key");
            assertThat(first.headers().get(RATE_LIMIT_REMAINING)).isEqualTo("1");
            assertThat(second.headers().get(RATE_LIMIT_REMAINING)).isEqualTo("0");
            assertThat(limited.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(limited.getStatus().getDescription()).startsWith("rate limit exceeded for API key 'grpc-client': retry in");
            assertThat(Long.parseLong(limited.getTrailers().get(RETRY_AFTER))).isPositive();
        }
        String where = database + ".predictions WHERE protocol = 'grpc' AND unit_id = 'grpc-unit'";
        clickHouse.awaitCount(where, n -> n >= 5, Duration.ofSeconds(20));
        assertThat(clickHouse.rows("SELECT api_key, status FROM " + where + " ORDER BY event_time_ms"))
                .extracting(row -> row.get("api_key").asText() + "|" + row.get("status").asInt())
                .containsExactlyInAnyOrder("|401", "|401", "grpc-client|200", "grpc-client|200", "grpc-client|429");
    }

    private static StatusRuntimeException refusal(ThrowableAssert.ThrowingCallable call) {
        return catchThrowableOfType(call, StatusRuntimeException.class);
    }

    private int sweep(float amount) throws Exception {
        float[] probe = {amount, 400, 2, 75, 12, 0, 14, 0.3f, 1, 0, 200, 1.1f};
        return api.send(HttpRequest.newBuilder(api.uri("/v2/models/fraud-score/infer")).header("X-API-Key", proberSecret)
                .POST(HttpRequest.BodyPublishers.ofString(InferApi.fraudRequest(probe, null)))).statusCode();
    }

    private JsonNode activeAlerts() throws Exception {
        String filter = URLEncoder.encode("key=\"" + prober + "\"", StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ALERTMANAGER + "/api/v2/alerts?active=true&filter=" + filter)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** The salted hash as the README defines it, computed independently of the gateway's code. */
    private static String hash(String saltHex, String secret) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(HexFormat.of().parseHex(saltHex));
        return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
