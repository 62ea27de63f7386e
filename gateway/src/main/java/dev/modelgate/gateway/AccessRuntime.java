package dev.modelgate.gateway;

import dev.modelgate.gateway.admin.KeyAdminRoutes;
import dev.modelgate.gateway.alerts.ProbingAlerts;
import dev.modelgate.gateway.api.DataPlaneAccess;
import dev.modelgate.gateway.config.AuthConfig;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.drift.ReferenceInputRanges;
import dev.modelgate.gateway.drift.ReferenceStore;
import dev.modelgate.gateway.keys.InMemoryKeyStore;
import dev.modelgate.gateway.keys.KeyCodec;
import dev.modelgate.gateway.keys.KeySecrets;
import dev.modelgate.gateway.keys.KeyService;
import dev.modelgate.gateway.keys.KeyStore;
import dev.modelgate.gateway.keys.RedisKeyStore;
import dev.modelgate.gateway.metrics.KeyMetrics;
import dev.modelgate.gateway.probing.InputObserver;
import dev.modelgate.gateway.probing.InputRanges;
import dev.modelgate.gateway.probing.ProbingMonitor;
import dev.modelgate.gateway.ratelimit.RateLimiter;
import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.state.RedisConnections;
import dev.modelgate.gateway.state.RedisEndpoint;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Who may call, and how often, wired from the configuration: API keys (in Redis for a fleet, else in
 * memory plus those declared in the file), the rate limiter (fleet-wide through Redis, else per
 * replica) and the per-key metrics.
 */
final class AccessRuntime implements AutoCloseable {

    /** The limiter's own client: a command that takes longer fails, and the limiter counts alone for a while. */
    private static final Duration LIMITER_COMMAND_TIMEOUT = Duration.ofSeconds(1);

    final KeyService keys;
    final RateLimiter limiter;
    final KeyMetrics metrics;
    /** Null when {@code auth.probing.enabled} is false. */
    final ProbingMonitor probing;
    private final AuthConfig auth;
    private final Vertx vertx;
    private final long probingTimer;

    private AccessRuntime(Vertx vertx, KeyService keys, RateLimiter limiter, KeyMetrics metrics, ProbingMonitor probing,
                          AuthConfig auth) {
        this.vertx = vertx;
        this.keys = keys;
        this.limiter = limiter;
        this.metrics = metrics;
        this.probing = probing;
        this.auth = auth;
        // the analysis of a window is O(requests x features): on a worker, never on an event loop
        this.probingTimer = probing == null ? -1 : vertx.setPeriodic(auth.probing().window().toMillis(),
                id -> vertx.executeBlocking(() -> {
                    probing.evaluate(Instant.now());
                    return null;
                }, false));
    }

    /**
     * @param redis     the fleet's Redis, null for a single node
     * @param clickHouse where the drift references are, for the probing monitor's out-of-range signal
     */
    static Future<AccessRuntime> open(Vertx vertx, GatewayConfig config, RedisConnections redis, MeterRegistry registry,
                                      ModelRegistry models, Optional<ClickHouseConnection> clickHouse) {
        AuthConfig auth = config.auth();
        KeyStore store = redis == null ? new InMemoryKeyStore() : new RedisKeyStore(redis, config.state().keyPrefix());
        RateLimiter limiter = redis == null
                ? RateLimiter.local(System::currentTimeMillis)
                : RateLimiter.fleet(RedisEndpoint.create(config.state().redisUrl(), config.state().redisPassword(),
                                config.state().redisTls(), LIMITER_COMMAND_TIMEOUT), config.state().keyPrefix(), auth.limiter(),
                        registry, System::currentTimeMillis);
        return KeyService.start(vertx, store, auth.keys().stream().map(KeyCodec::declared).toList(), auth.resync(),
                        new KeySecrets(new SecureRandom()), Clock.systemUTC())
                .map(keys -> new AccessRuntime(vertx, keys, limiter, new KeyMetrics(registry),
                        probing(vertx, config, registry, ranges(config, models, clickHouse)), auth))
                .onFailure(e -> limiter.close());
    }

    /** The drift references' ranges, re-read at most once a minute; none without ClickHouse. */
    private static InputRanges ranges(GatewayConfig config, ModelRegistry models, Optional<ClickHouseConnection> clickHouse) {
        return clickHouse.<InputRanges>map(connection -> new ReferenceInputRanges(new ReferenceStore(connection, Clock.systemUTC()),
                models, new FeatureColumns(config.telemetry().rowCaps().nameBytes()), Clock.systemUTC(), 60_000))
                .orElse(InputRanges.NONE);
    }

    private static ProbingMonitor probing(Vertx vertx, GatewayConfig config, MeterRegistry registry, InputRanges ranges) {
        AuthConfig.ProbingSettings settings = config.auth().probing();
        if (!settings.enabled()) {
            return null;
        }
        return new ProbingMonitor(settings, ranges,
                new ProbingAlerts(WebClient.create(vertx), config.alerts().alertmanagerUrl(), settings.window()), registry);
    }

    /** What the exchange log shows the probing monitor. */
    InputObserver inputs() {
        return probing == null ? InputObserver.NONE : probing;
    }

    /** API keys and limits on the data plane, one instance for both listeners (HTTP through a {@code DataPlaneGuard}, gRPC). */
    DataPlaneAccess dataPlane() {
        double throttle = auth.probing().throttleRate();
        RateLimits throttleLimits = throttle > 0 ? new RateLimits(throttle, Math.max(1, (long) Math.ceil(throttle)), 0,
                RateLimits.DAY) : RateLimits.NONE;
        return new DataPlaneAccess(new DataPlaneAccess.Policy(auth.required(), auth.modelLimits(), auth.anonymous(),
                name -> probing != null && probing.throttled(name), throttleLimits), keys.ring(), limiter, metrics);
    }

    KeyAdminRoutes adminRoutes(GatewayConfig config) {
        return new KeyAdminRoutes(keys, config.models().keySet(), name -> probing == null ? new JsonObject() : probing.view(name));
    }

    @Override
    public void close() {
        vertx.cancelTimer(probingTimer);
        keys.close();
        limiter.close();
    }
}
