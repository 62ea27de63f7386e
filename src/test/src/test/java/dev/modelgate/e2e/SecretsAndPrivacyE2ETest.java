package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.gateway.privacy.KeyedHash;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Secrets from a file and the environment, and protected features, end to end: the admin token is read
 * from a mounted-secret file, the hash key from an environment variable, and neither appears in the
 * gateway's output, its metrics or its admin answers; the ClickHouse rows of a model with
 * {@code features.F.log} rules hold no raw value of those features, and drift on a hashed categorical
 * feature still tells a shift from no shift.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsAndPrivacyE2ETest {

    private static final String TOKEN = "admin-token-from-a-file-" + UUID.randomUUID();
    private static final String SALT = "hash-salt-from-the-env-" + UUID.randomUUID();
    private static final String SALT_VARIABLE = "MG_E2E_HASH_SALT";
    private static final int IS_FOREIGN = DriftAlertE2ETest.FEATURES.indexOf("is_foreign");
    private static final int HOUR = DriftAlertE2ETest.FEATURES.indexOf("hour_of_day");

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_privacy");
    private final String model = "fraud-pii-" + UUID.randomUUID().toString().substring(0, 8);
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(16);
    private final List<String> answers = new ArrayList<>();
    private Path workDir;
    private GatewayProcess gateway;
    private InferApi api;

    @BeforeAll
    void start() throws Exception {
        workDir = Files.createTempDirectory("modelgate-e2e-privacy");
        Files.writeString(workDir.resolve("admin-token"), TOKEN + "\n"); // as `kubectl create secret --from-file` leaves it
        gateway = GatewayProcess.start(config(), env(), workDir);
        gateway.declareSecret(TOKEN);
        api = new InferApi(gateway.base);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close(); // fails if the gateway printed TOKEN or SALT
            }
        } finally {
            clickHouse.dropDatabase(database);
        }
    }

    @Test
    void protectedFeaturesNeverReachClickHouseRawAndHashedDriftStillWorks() throws Exception {
        // the reference is uploaded with raw values: the gateway hashes is_foreign and hour_of_day as it logs them
        keep(admin("PUT", "/admin/models/" + model + "/reference", DriftAlertE2ETest.referenceRows(json, random, 2_000)), 201);

        List<float[]> sent = new ArrayList<>();
        sendTraffic(6, 0.06, sent); // like the reference: 6 % foreign
        JsonNode same = runDrift();
        assertThat(feature(same, "is_foreign").get("drifted").asBoolean()).as(same.toString()).isFalse();
        assertThat(feature(same, "hour_of_day").get("drifted").asBoolean()).as(same.toString()).isFalse();
        // compared value for value: the hashed reference against the hashed traffic
        assertThat(feature(same, "is_foreign").get("n_reference").asLong()).isEqualTo(2_000);
        assertThat(feature(same, "is_foreign").get("n_current").asLong()).isEqualTo(300);

        sendTraffic(12, 0.7, sent); // now 70 % foreign
        JsonNode shifted = runDrift();
        assertThat(feature(shifted, "is_foreign").get("drifted").asBoolean()).as(shifted.toString()).isTrue();
        assertThat(feature(shifted, "hour_of_day").get("drifted").asBoolean()).as(shifted.toString()).isFalse();

        KeyedHash hash = new KeyedHash(SALT);
        List<JsonNode> rows = clickHouse.rows("SELECT feature_names, feature_values, request_json FROM " + database
                + ".predictions WHERE model = '" + model + "'");
        assertThat(rows).hasSize(18);
        List<Double> foreign = new ArrayList<>();
        for (JsonNode row : rows) {
            assertThat(row.get("request_json").asText()).isEmpty();
            List<String> names = new ArrayList<>();
            row.get("feature_names").forEach(name -> names.add(name.asText()));
            assertThat(names).doesNotContain("account_age_days").contains("amount", "is_foreign", "hour_of_day");
            for (int i = 0; i < names.size(); i++) {
                JsonNode value = row.get("feature_values").get(i);
                switch (names.get(i)) {
                    case "amount" -> assertThat(value.isNull()).as("amount is redacted: " + value).isTrue();
                    case "is_foreign" -> foreign.add(value.asDouble());
                    case "hour_of_day" -> assertThat(value.asDouble()).as("a hashed hour, not 0..23").isGreaterThan(24);
                    default -> { }
                }
            }
        }
        assertThat(foreign).hasSize(18 * 50).containsOnly(hash.hash("is_foreign", 0), hash.hash("is_foreign", 1));
        long foreignSent = sent.stream().filter(row -> row[IS_FOREIGN] == 1).count();
        assertThat(foreign.stream().filter(v -> v == hash.hash("is_foreign", 1)).count()).isEqualTo(foreignSent);
    }

    @Test
    void noSecretInTheLogMetricsOrAdminAnswers() throws Exception {
        keep(admin("GET", "/admin/experiments", null), 200); // the token from the file works
        HttpResponse<String> wrong = api.admin(TOKEN + "x", "e2e", "GET", "/admin/experiments", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        answers.add(wrong.body());
        keep(admin("GET", "/admin/backends", null), 200);
        keep(admin("GET", "/admin/models/" + model + "/drift", null), 200);
        keep(admin("PUT", "/admin/models/" + model + "/reference", "{\"rows\": [{\"no_such_column\": 1}]}"), 400);
        answers.add(api.get("/metrics").body());
        answers.add(api.get("/v2/models/" + model).body());

        assertThat(answers).noneMatch(answer -> answer.contains(TOKEN) || answer.contains(SALT));
        gateway.assertNoSecretPrinted();

        // a secret that cannot be found stops the start, naming where it was looked for, not a value
        Map<String, String> noSalt = new HashMap<>(env());
        noSalt.remove(SALT_VARIABLE);
        assertThatThrownBy(() -> GatewayProcess.start(config(), noSalt, workDir))
                .hasMessageContaining("gateway exited with 2")
                .hasMessageContaining("privacy.hash_salt_env: environment variable " + SALT_VARIABLE + " is not set")
                .hasMessageNotContaining(TOKEN);
    }

    /** {@code requests} requests of 50 transactions, a share {@code foreign} of them foreign. */
    private void sendTraffic(int requests, double foreign, List<float[]> sent) throws Exception {
        for (int r = 0; r < requests; r++) {
            StringBuilder data = new StringBuilder();
            for (int row = 0; row < 50; row++) {
                float[] features = ServeAndLogE2ETest.randomTransaction(random);
                features[IS_FOREIGN] = random.nextDouble() < foreign ? 1 : 0;
                sent.add(features);
                for (float feature : features) {
                    data.append(data.length() == 0 ? "" : ",").append(feature);
                }
            }
            HttpResponse<String> answer = api.post("/v2/models/" + model + "/infer", "{\"inputs\":[{\"name\":\"features\","
                    + "\"datatype\":\"FP32\",\"shape\":[50," + DriftAlertE2ETest.FEATURES.size() + "],\"data\":[" + data + "]}]}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        int total = sent.size() / 50;
        assertThat(clickHouse.awaitCount(database + ".predictions WHERE model = '" + model + "'", n -> n >= total,
                Duration.ofSeconds(10))).isEqualTo(total);
    }

    private JsonNode runDrift() throws Exception {
        return json.readTree(keep(admin("POST", "/admin/models/" + model + "/drift/run", ""), 200));
    }

    private static JsonNode feature(JsonNode run, String name) {
        for (JsonNode feature : run.at("/variants/0/features")) {
            if (feature.get("feature").asText().equals(name)) {
                return feature;
            }
        }
        throw new AssertionError("no feature " + name + " in " + run);
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return api.admin(TOKEN, "e2e", method, path, body);
    }

    private String keep(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        answers.add(answer.body());
        return answer.body();
    }

    private Path config() throws Exception {
        Path config = workDir.resolve("privacy.yaml");
        Files.writeString(config, DriftAlertE2ETest.fraudModel(model) + """
                    features:
                      amount: {log: redact}
                      account_age_days: {log: drop}
                      is_foreign: {log: hash}
                      hour_of_day: {log: hash}
                server: {admin_token_file: admin-token}
                privacy: {hash_salt_env: %s}
                telemetry: {flush_interval_ms: 200, spool_dir: "%s"}
                drift: {enabled: false, window_minutes: 60, min_samples: 50}
                """.formatted(SALT_VARIABLE, workDir.resolve("spool")));
        return config;
    }

    private Map<String, String> env() {
        return Map.of("MODELGATE_CLICKHOUSE_URL", ClickHouse.URL, "MODELGATE_CLICKHOUSE_DATABASE", database,
                SALT_VARIABLE, SALT);
    }
}
