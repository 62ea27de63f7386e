package dev.modelgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two gateway replicas with {@code state.store: redis} on a redis-server of their own (scripts/services.sh
 * on a free port, no persistence unless a test saves an RDB file), so that a test can kill it, restart it
 * empty or from an older snapshot, and call both replicas' APIs meanwhile. Register it as a static
 * {@code @RegisterExtension} field: the fleet starts before the class's first test, every experiment is
 * deleted after each test, and the fleet stops after the last.
 */
final class ExperimentFleet implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    static final String TOKEN = "e2e-admin-token";
    static final String INFER = "/v2/models/fraud-score/infer";
    static final String KEY_PREFIX = "e2e-fleet";
    static final int LEASE_TTL_MILLIS = 3_000;

    private final ExtraVariants extraVariants;
    private final String extraYaml;
    private final Path workDir;
    private final Services services;
    /** The Redis setup when the fleet runs on Sentinel; null for a plain redis-server. */
    private final SentinelRedis sentinel;
    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_fleet");
    private GatewayProcess a;
    private GatewayProcess b;
    private InferApi apiA;
    private InferApi apiB;

    /** Two v1/v2 replicas and nothing else. */
    ExperimentFleet() {
        this(dir -> "", "");
    }

    /**
     * Chooses the folder and the Redis port; starts nothing.
     *
     * @param extraVariants more variants of {@code fraud-score} (YAML, one {@code name: {...}} per line), given the
     *                      fleet's working folder where their model files can be written
     * @param extraYaml     more top-level configuration, e.g. {@code experiments: {...}}
     */
    ExperimentFleet(ExtraVariants extraVariants, String extraYaml) {
        this(extraVariants, extraYaml, false);
    }

    /**
     * Two v1/v2 replicas on a Redis primary, its replica and three sentinels ({@link SentinelRedis}), configured
     * with the {@code redis-sentinel://} URL. They resync only every minute, so a change reaches the other
     * replica by pub/sub or not at all within a test: what a failover does to the subscription shows.
     */
    static ExperimentFleet onSentinel() {
        return new ExperimentFleet(dir -> "", "", true);
    }

    private ExperimentFleet(ExtraVariants extraVariants, String extraYaml, boolean onSentinel) {
        this.extraVariants = extraVariants;
        this.extraYaml = extraYaml;
        try {
            workDir = Files.createTempDirectory("modelgate-e2e-fleet");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        services = new Services(workDir);
        sentinel = onSentinel ? new SentinelRedis(workDir.resolve("sentinel")) : null;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (sentinel != null) {
            sentinel.start();
        } else {
            services.run("start", "redis");
        }
        Path config = TestConfigs.twoVariants(workDir, "fleet.yaml", extraVariants.yaml(workDir), """
                state: {store: redis, key_prefix: "%s", resync_interval_ms: %d, lease_ttl_ms: %d}
                telemetry: {flush_interval_ms: 200, insert_timeout_ms: 2000}
                """.formatted(KEY_PREFIX, sentinel != null ? 60_000 : 500, LEASE_TTL_MILLIS) + extraYaml);
        a = replica(config, "replica-a");
        b = replica(config, "replica-b");
        apiA = new InferApi(a.base);
        apiB = new InferApi(b.base);
    }

    /** Deletes every experiment (and an RDB file a test saved), and waits until both replicas list none. */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        deleteRedisSnapshot();
        for (JsonNode experiment : apiA.json(admin(apiA, "GET", "/admin/experiments", null)).get("experiments")) {
            adminOnceReachable(apiA, "DELETE", "/admin/experiments/" + experiment.at("/spec/name").asText(), null, Duration.ofSeconds(10));
        }
        awaitTrue(() -> listsNone(apiA) && listsNone(apiB), Duration.ofSeconds(3));
    }

    private boolean listsNone(InferApi api) {
        try {
            return api.json(admin(api, "GET", "/admin/experiments", null)).get("experiments").isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (GatewayProcess replica : new GatewayProcess[] {a, b}) {
            if (replica != null) {
                replica.close();
            }
        }
        if (sentinel != null) {
            sentinel.close();
        } else {
            services.run("stop", "redis");
        }
        clickHouse.dropDatabase(database);
    }

    InferApi apiA() {
        return apiA;
    }

    InferApi apiB() {
        return apiB;
    }

    /** YAML for more variants, given the folder their model files may be written to. */
    interface ExtraVariants {
        String yaml(Path workDir) throws Exception;
    }

    private GatewayProcess replica(Path config, String name) throws Exception {
        return GatewayProcess.start(config, Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_INSTANCE_ID", name,
                "MODELGATE_SPOOL_DIR", workDir.resolve("spool-" + name).toString(),
                "MODELGATE_WAL_DIR", workDir.resolve("wal-" + name).toString(),
                "MODELGATE_REDIS_URL", sentinel != null ? sentinel.url() : services.redisUrl(),
                "MODELGATE_ADMIN_TOKEN", TOKEN), workDir);
    }

    /** The Sentinel setup of a fleet made by {@link #onSentinel()}. */
    SentinelRedis sentinel() {
        return sentinel;
    }

    /** The ClickHouse database both replicas log to. */
    String database() {
        return database;
    }

    /** Stops the Redis (SIGTERM; it saves nothing: no persistence is configured). */
    void stopRedis() throws Exception {
        services.run("stop", "redis");
    }

    /** {@code kill -9} the Redis: whatever it did not save is gone. */
    void killRedis() throws Exception {
        services.signal("redis", "KILL");
    }

    /** Starts the Redis again: empty, or from the RDB file a {@link #redisCli SAVE} left. */
    void startRedis() throws Exception {
        services.run("start", "redis");
    }

    private void deleteRedisSnapshot() throws Exception {
        Files.deleteIfExists(workDir.resolve("services/redis/dump.rdb"));
    }

    /** {@code redis-cli} against this fleet's Redis; its output. */
    String redisCli(String... args) throws Exception {
        if (sentinel != null) {
            return sentinel.primaryCli(args);
        }
        return SentinelRedis.cli(Integer.parseInt(services.redisUrl().replaceAll(".*:", "")), args);
    }

    HttpResponse<String> admin(InferApi api, String method, String path, String json) throws Exception {
        return api.admin(TOKEN, "e2e-test", method, path, json);
    }

    /** An admin call repeated while it answers 503 (the store unreachable), for up to {@code timeout}. */
    HttpResponse<String> adminOnceReachable(InferApi api, String method, String path, String json, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> response = admin(api, method, path, json);
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = admin(api, method, path, json);
        }
        return response;
    }

    /** Where a unit is routed: {@code experiment/variant} from the response headers, or the status when it failed. */
    static String route(InferApi api, String unit) {
        try {
            HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri(INFER)).header("X-Unit-Id", unit)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],"
                                    + "\"data\":[120.5,400,2,75,12,0,14,0.3,1,0,200,1.1]}]}")));
            if (response.statusCode() != 200) {
                return "status " + response.statusCode();
            }
            return response.headers().firstValue("X-Experiment").orElse("") + "/" + response.headers().firstValue("X-Variant").orElse("");
        } catch (Exception e) {
            return e.toString();
        }
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
