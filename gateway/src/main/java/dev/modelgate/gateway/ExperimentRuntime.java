package dev.modelgate.gateway;

import dev.modelgate.experiments.spec.ExperimentSpec;
import dev.modelgate.gateway.analysis.ExperimentAnalysis;
import dev.modelgate.gateway.admin.ExperimentAdminRoutes;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.StateConfig;
import dev.modelgate.gateway.control.CanaryController;
import dev.modelgate.gateway.control.CanaryWindows;
import dev.modelgate.gateway.control.DecisionRecorder;
import dev.modelgate.gateway.control.LocalVariantStats;
import dev.modelgate.gateway.routing.ExperimentRules;
import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.state.ExperimentStore;
import dev.modelgate.gateway.state.InMemoryExperimentStore;
import dev.modelgate.gateway.state.LeaderLease;
import dev.modelgate.gateway.state.RedisConnections;
import dev.modelgate.gateway.state.RedisExperimentStore;
import dev.modelgate.gateway.state.RedisLeaderLease;
import dev.modelgate.gateway.state.StoredExperiment;
import dev.modelgate.gateway.telemetry.ExperimentDecisionEncoder;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything experiments need at run time, wired from the configuration: the store (in memory, or
 * Redis for a fleet) seeded with the configured experiments, the leader lease, the router the request
 * path reads, this replica's canary counters, the canary controller and the admin routes.
 */
final class ExperimentRuntime implements AutoCloseable {

    final ExperimentStore store;
    final LeaderLease lease;
    final RequestRouter router;
    final LocalVariantStats localStats = new LocalVariantStats();
    final DecisionRecorder decisions;
    /** Null for a single node (experiments in memory). */
    final RedisConnections redis;
    private CanaryController controller;
    private ExperimentAnalysis analysis;

    private ExperimentRuntime(ExperimentStore store, LeaderLease lease, RedisConnections redis, DecisionRecorder decisions) {
        this.store = store;
        this.lease = lease;
        this.redis = redis;
        this.decisions = decisions;
        this.router = new RequestRouter(store);
    }

    static Future<ExperimentRuntime> open(Vertx vertx, GatewayConfig config, EventLogs logs) {
        List<StoredExperiment> seeds;
        try {
            seeds = seeds(config);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        DecisionRecorder decisions = new DecisionRecorder(logs.writer(ExperimentDecisionEncoder::new), config.instanceId());
        StateConfig state = config.state();
        if (!state.shared()) {
            InMemoryExperimentStore store = new InMemoryExperimentStore(seeds);
            return Future.succeededFuture(new ExperimentRuntime(store, LeaderLease.ALWAYS, null, decisions))
                    .onSuccess(runtime -> runtime.recordSeeds(seeds));
        }
        RedisConnections redis = new RedisConnections(state.redisUrl(), state.redisPassword(), state.redisTls(), Duration.ofSeconds(1));
        RedisLeaderLease lease = new RedisLeaderLease(redis, vertx, state.keyPrefix(), config.instanceId(), state.leaseTtl().toMillis());
        return RedisExperimentStore.start(redis, vertx, state.keyPrefix(), state.resyncInterval().toMillis(), seeds)
                .map(store -> new ExperimentRuntime(store, lease, redis, decisions))
                .onSuccess(runtime -> runtime.recordSeeds(seeds));
    }

    /** The configured experiments, checked against the configured models and each other. */
    static List<StoredExperiment> seeds(GatewayConfig config) {
        List<ExperimentSpec> specs = config.experiments().specs();
        List<StoredExperiment> seeds = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < specs.size(); i++) {
            try {
                StoredExperiment seed = StoredExperiment.created(specs.get(i), now, "config");
                ExperimentRules.check(seed, config.models(), seeds);
                seeds.add(seed);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("experiments.specs[" + i + "] (" + specs.get(i).name() + "): " + e.getMessage(), e);
            }
        }
        return seeds;
    }

    /**
     * The audit trail starts with the configured experiments as they stand after start-up (a fleet's
     * store may hold newer versions changed through the admin API), so dashboards know their weights.
     */
    private void recordSeeds(List<StoredExperiment> seeds) {
        long now = System.currentTimeMillis();
        for (StoredExperiment seed : seeds) {
            decisions.record("config", "config", "declared in the configuration", null, null, store.find(seed.name()).orElse(seed), now);
        }
    }

    void startController(Vertx vertx, GatewayConfig config, EventLogs logs, MeterRegistry registry) {
        controller = new CanaryController(vertx, store, lease, new CanaryWindows(logs.clickHouse(), localStats), decisions,
                config.experiments().controllerInterval(), registry);
    }

    /** Starts the leader-only analysis job; its results endpoint goes with the admin routes. */
    ExperimentAnalysis startAnalysis(Vertx vertx, GatewayConfig config, EventLogs logs, MeterRegistry registry) {
        analysis = ExperimentAnalysis.start(vertx, store, logs.clickHouse(), logs.writer(ExperimentAnalysis::resultEncoder),
                registry, lease::isLeader, config.experiments().analysisInterval(), config.experiments().queryTimeout(),
                config.instanceId());
        return analysis;
    }

    ExperimentAdminRoutes adminRoutes(GatewayConfig config) {
        return new ExperimentAdminRoutes(store, config.models(), decisions);
    }

    @Override
    public void close() {
        if (controller != null) {
            controller.close();
        }
        if (analysis != null) {
            analysis.close();
        }
        if (lease instanceof RedisLeaderLease redisLease) {
            redisLease.close();
        }
        store.close();
        if (redis != null) {
            redis.close();
        }
    }
}
