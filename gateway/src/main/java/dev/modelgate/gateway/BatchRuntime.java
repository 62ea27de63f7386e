package dev.modelgate.gateway;

import dev.modelgate.drift.evaluate.DriftSettings;
import dev.modelgate.gateway.batch.BatchEnvironment;
import dev.modelgate.gateway.batch.JobMetrics;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.drift.DriftTables;
import dev.modelgate.gateway.drift.ReferenceStore;
import dev.modelgate.gateway.batch.JobsTable;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import java.util.List;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.serving.BackendFactory;
import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.state.ExperimentStore;
import dev.modelgate.gateway.state.InMemoryExperimentStore;
import dev.modelgate.gateway.state.RedisConnections;
import dev.modelgate.gateway.state.RedisExperimentStore;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings;
import dev.modelgate.inference.resilience.ResiliencePolicies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code score --job} needs of a gateway without serving anything: the configured models loaded
 * as the gateway loads them (same backends, batching and resilience), the experiments as the fleet
 * holds them (Redis when {@code state.store: redis}, so live canary weights route the rows; else the
 * configured specs) behind the same router, and ClickHouse.
 */
public final class BatchRuntime implements AutoCloseable {

    /** A batch job's inserts are larger than the request path's: one chunk of results per insert. */
    static final Duration BATCH_CLICKHOUSE_TIMEOUT = Duration.ofSeconds(120);

    private final ModelRegistry models;
    private final ExperimentStore store;
    private final RedisConnections redis;
    private final ClickHouseConnection clickHouse;
    private final GatewayMetrics metrics;
    private final BatchEnvironment environment;

    private BatchRuntime(GatewayConfig config, ModelRegistry models, ExperimentStore store, RedisConnections redis, GatewayMetrics metrics) {
        this.models = models;
        this.store = store;
        this.redis = redis;
        this.metrics = metrics;
        this.clickHouse = clickHouse(config).orElse(null);
        this.environment = environment(config, models, new RequestRouter(store), Optional.ofNullable(clickHouse), metrics);
    }

    public static Future<BatchRuntime> open(Vertx vertx, GatewayConfig config) {
        GatewayMetrics metrics = new GatewayMetrics(config.instanceId());
        ResiliencePolicies policies = ResiliencePolicies.create(vertx);
        return vertx.executeBlocking(() -> {
                    createTables(config);
                    return StaticResponses.of(config.models().values());
                })
                .compose(defaults -> ModelRegistry.load(config.models().values(), new BackendFactory(vertx, policies, metrics), defaults))
                .compose(models -> openStore(vertx, config)
                        .map(store -> new BatchRuntime(config, models, store.store(), store.redis(), metrics))
                        .onFailure(e -> models.close()));
    }

    private record Store(ExperimentStore store, RedisConnections redis) {}

    private static Future<Store> openStore(Vertx vertx, GatewayConfig config) {
        var seeds = ExperimentRuntime.seeds(config);
        if (!config.state().shared()) {
            return Future.succeededFuture(new Store(new InMemoryExperimentStore(seeds), null));
        }
        RedisConnections redis = new RedisConnections(config.state().redisUrl(), config.state().redisPassword(),
                config.state().redisTls(), Duration.ofSeconds(1));
        return RedisExperimentStore.start(redis, vertx, config.state().keyPrefix(), config.state().resyncInterval().toMillis(), seeds)
                .<Store>map(store -> new Store(store, redis))
                .onFailure(e -> redis.close());
    }

    /** The tables a job reads before it writes anything: the jobs and the reference profiles (the sinks create theirs). */
    private static void createTables(GatewayConfig config) throws ClickHouseCallException {
        Optional<ClickHouseConnection> connection = clickHouse(config);
        if (connection.isPresent()) {
            try (ClickHouseConnection clickHouse = connection.get()) {
                new ClickHouseSchema(List.of(JobsTable.DEFINITION, DriftTables.REFERENCE_PROFILES)).apply(clickHouse);
            }
        }
    }

    /** The batch jobs' own ClickHouse connection (longer timeout than the request path's); empty with telemetry off. */
    static Optional<ClickHouseConnection> clickHouse(GatewayConfig config) {
        if (!config.telemetry().enabled()) {
            return Optional.empty();
        }
        var settings = config.clickhouse();
        return Optional.of(ClickHouseConnection.open(new ClickHouseSettings(settings.url(), settings.user(), settings.password(),
                settings.database(), BATCH_CLICKHOUSE_TIMEOUT).withCluster(settings.cluster())));
    }

    static BatchEnvironment environment(GatewayConfig config, ModelRegistry models, RequestRouter router,
                                        Optional<ClickHouseConnection> clickHouse, GatewayMetrics metrics) {
        var drift = config.drift();
        return new BatchEnvironment(models, router, clickHouse, clickHouse.map(c -> new ReferenceStore(c, Clock.systemUTC())),
                new DriftSettings(DriftSettings.DEFAULT_SMALL_SAMPLE_LIMIT, drift.shareThreshold(), drift.methods()),
                new FeatureColumns(config.telemetry().rowCaps().nameBytes()), config.instanceId(), new JobMetrics(metrics.registry()),
                Clock.systemUTC());
    }

    public BatchEnvironment environment() {
        return environment;
    }

    @Override
    public void close() {
        models.close();
        store.close();
        if (redis != null) {
            redis.close();
        }
        if (clickHouse != null) {
            clickHouse.close();
        }
        metrics.close();
    }
}
