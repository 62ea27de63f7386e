package dev.modelgate.gateway;

import dev.modelgate.gateway.admin.AdminAuth;
import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.alerts.AlertChannel;
import dev.modelgate.gateway.alerts.AlertChannels;
import dev.modelgate.gateway.alerts.AlertDispatcher;
import dev.modelgate.gateway.batch.JobAdminRoutes;
import dev.modelgate.gateway.batch.JobManager;
import dev.modelgate.gateway.api.ApiVerticle;
import dev.modelgate.gateway.api.ConnectionGuard;
import dev.modelgate.gateway.api.DataPlaneGuard;
import dev.modelgate.gateway.api.ExchangeLog;
import dev.modelgate.gateway.api.InferenceHandler;
import dev.modelgate.gateway.api.InferencePipeline;
import dev.modelgate.gateway.api.MetadataHandlers;
import dev.modelgate.gateway.api.PredictionEventFactory;
import dev.modelgate.gateway.api.VariantForcing;
import dev.modelgate.gateway.api.grpc.GrpcVerticle;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.TelemetryConfig;
import dev.modelgate.gateway.drift.DriftService;
import dev.modelgate.gateway.drift.DriftTables;
import dev.modelgate.gateway.feedback.FeedbackHandler;
import dev.modelgate.gateway.feedback.FeedbackParser;
import dev.modelgate.gateway.keys.JwtCredentials;
import dev.modelgate.gateway.metrics.ExperimentMetrics;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.quality.QualityService;
import dev.modelgate.gateway.quality.QualityTables;
import dev.modelgate.gateway.privacy.FeatureMasks;
import dev.modelgate.gateway.admin.BackendAdminRoutes;
import dev.modelgate.gateway.console.ConsoleAssets;
import dev.modelgate.gateway.console.ConsoleRoutes;
import dev.modelgate.gateway.serving.BackendFactory;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.telemetry.AdminAuditEncoder;
import dev.modelgate.gateway.telemetry.AdminAuditTable;
import dev.modelgate.gateway.telemetry.ExperimentDecisionsTable;
import dev.modelgate.gateway.telemetry.ExperimentResultsTable;
import dev.modelgate.gateway.telemetry.FeedbackEncoder;
import dev.modelgate.gateway.telemetry.FeedbackTable;
import dev.modelgate.gateway.telemetry.PredictionEventEncoder;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TruncationMeter;
import dev.modelgate.gateway.tls.PemServerCredentials;
import dev.modelgate.gateway.tls.ServerTls;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.resilience.ResiliencePolicies;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway. Start-up order is models (a model that cannot load fails the start), the event
 * logs, the experiments (store, router, controller), then the listeners, so that nothing is accepted
 * before it can be served, routed and logged; shutdown runs the other way round.
 */
public final class Gateway {

    public static final String VERSION = "0.1.0";

    /**
     * Batch jobs on a serving gateway run one at a time with one engine call in flight each: a local
     * variant's other instances stay free for online requests (the CLI, on a machine of its own, has no
     * such cap).
     */
    static final int JOB_WORKERS = 1;
    static final int JOB_MAX_CONCURRENCY = 1;

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final ModelRegistry models;
    private final InferencePipeline inference;
    private final GatewayMetrics metrics;
    private final EventLogs logs;
    private final ExperimentRuntime experiments;
    private final AccessRuntime access;
    /** Null when telemetry is disabled: without logged traffic there is nothing to monitor. */
    private final DriftService drift;
    /** Null when telemetry is disabled, like {@link #drift}. */
    private final QualityService quality;
    private final JobManager jobs;
    /** The HTTP listeners' deployment, then the gRPC listeners' when gRPC is on. */
    private final List<String> deploymentIds;
    private final Optional<ServerTls> tls;

    private Gateway(Vertx vertx, ModelRegistry models, InferencePipeline inference, GatewayMetrics metrics, EventLogs logs,
                    ExperimentRuntime experiments, AccessRuntime access, DriftService drift, QualityService quality,
                    JobManager jobs, List<String> deploymentIds, Optional<ServerTls> tls) {
        this.vertx = vertx;
        this.models = models;
        this.inference = inference;
        this.metrics = metrics;
        this.logs = logs;
        this.experiments = experiments;
        this.access = access;
        this.drift = drift;
        this.quality = quality;
        this.jobs = jobs;
        this.deploymentIds = List.copyOf(deploymentIds);
        this.tls = tls;
    }

    public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
        GatewayMetrics metrics = new GatewayMetrics(config.instanceId());
        ResiliencePolicies policies = ResiliencePolicies.create(vertx);
        metrics.bindBreakers(policies);
        Map<String, List<Tensor>> staticDefaults;
        try {
            staticDefaults = StaticResponses.of(config.models().values());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        BackendFactory backends = new BackendFactory(vertx, policies, metrics);
        // the certificates first: a bad file should fail the start before minutes of model loading
        return vertx.executeBlocking(() -> config.server().tls().map(tls -> ServerTls.load(vertx, new PemServerCredentials(tls, vertx))))
                .compose(tls -> vertx.executeBlocking(ConsoleAssets::load)
                        .compose(console -> start(vertx, config, metrics, policies, backends, staticDefaults, tls, console)));
    }

    private static Future<Gateway> start(Vertx vertx, GatewayConfig config, GatewayMetrics metrics, ResiliencePolicies policies,
                                         BackendFactory backends, Map<String, List<Tensor>> staticDefaults, Optional<ServerTls> tls,
                                         ConsoleAssets console) {
        return ModelRegistry.load(config.models().values(), backends, staticDefaults)
                .compose(models -> EventLogs.open(vertx, config, List.of(PredictionsTable.DEFINITION, ExperimentDecisionsTable.DEFINITION,
                                DriftTables.REFERENCE_PROFILES, DriftTables.DRIFT_REPORTS, FeedbackTable.DEFINITION, ExperimentResultsTable.DEFINITION,
                                QualityTables.QUALITY_REPORTS, QualityTables.QUALITY_BASELINES, AdminAuditTable.DEFINITION),
                                metrics.registry())
                        .compose(logs -> ExperimentRuntime.open(vertx, config, logs)
                                .compose(experiments -> AccessRuntime.open(vertx, config, experiments.redis, metrics.registry(), models,
                                                logs.clickHouse())
                                        .compose(access -> deploy(vertx, config, models, metrics, logs, experiments, access, policies,
                                                backends, tls, console).onFailure(e -> access.close()))
                                        .onFailure(e -> experiments.close()))
                                .onFailure(e -> logs.close()))
                        .onFailure(e -> models.close()))
                .onSuccess(gateway -> LOG.info("modelgate {} listening on {}://{}:{}{} ({} models, {} experiments)", VERSION,
                        tls.isPresent() ? "https" : "http", config.server().host(), config.server().port(),
                        config.server().grpc().enabled() ? " (gRPC on " + config.server().grpc().port() + ")" : "",
                        gateway.models.models().size(), gateway.experiments.store.all().size()));
    }

    private static Future<Gateway> deploy(Vertx vertx, GatewayConfig config, ModelRegistry models, GatewayMetrics metrics,
                                          EventLogs logs, ExperimentRuntime experiments, AccessRuntime access,
                                          ResiliencePolicies policies, BackendFactory backends, Optional<ServerTls> tls,
                                          ConsoleAssets console) {
        TelemetryConfig telemetry = config.telemetry();
        FeatureMasks masks = FeatureMasks.of(config.models().values(), config.privacy());
        var events = new PredictionEventFactory(config.instanceId(), telemetry.rowCaps(),
                new TruncationMeter(metrics.registry(), PredictionsTable.NAME), masks);
        var exchangeLog = new ExchangeLog(metrics, new ExperimentMetrics(metrics.registry()), experiments.localStats, events,
                logs.writer(PredictionEventEncoder::new), access.inputs());
        var pipeline = new InferencePipeline(vertx, experiments.router, exchangeLog);
        var forcing = new VariantForcing(config.server().adminToken());
        var inference = new InferenceHandler(models, pipeline, forcing, exchangeLog);
        var metadata = new MetadataHandlers(models, VERSION, logs::stalledTables);
        List<AdminRoutes> admin = new ArrayList<>(List.of(experiments.adminRoutes(config), new BackendAdminRoutes(models, policies, backends, metrics.registry()),
                access.adminRoutes(config), new ConsoleRoutes(console)));
        var dataPlane = access.dataPlane();
        var guard = new DataPlaneGuard(dataPlane, models, exchangeLog);
        List<AlertChannel> alertChannels = AlertChannels.create(vertx, config.alerts());
        DriftService drift = logs.clickHouse().map(clickHouse -> DriftService.create(config, models, clickHouse,
                logs.writer(DriftService::reportEncoder), metrics.registry(), AlertDispatcher.create(alertChannels, config.alerts()),
                experiments.lease::isLeader)).orElse(null);
        if (drift != null) {
            drift.start();
            admin.add(drift.adminRoutes());
        }
        QualityService quality = logs.clickHouse().map(clickHouse -> QualityService.create(config, clickHouse,
                logs.writer(QualityService::reportEncoder), metrics.registry(), alertChannels, experiments.lease::isLeader)).orElse(null);
        if (quality != null) {
            quality.start();
            admin.add(quality.adminRoutes());
        }
        JobManager jobs = new JobManager(BatchRuntime.environment(config, models, experiments.router,
                BatchRuntime.clickHouse(config), metrics), JOB_WORKERS, JOB_MAX_CONCURRENCY);
        admin.add(new JobAdminRoutes(jobs));
        experiments.startController(vertx, config, logs, metrics.registry());
        admin.add(experiments.startAnalysis(vertx, config, logs, metrics.registry()).adminRoutes());
        var feedback = new FeedbackHandler(new FeedbackParser(config.instanceId()), logs.writer(FeedbackEncoder::new), Clock.systemUTC());
        var connections = new ConnectionGuard(config.server().connections());
        metrics.bindConnections(connections::open);
        var adminAuth = new AdminAuth(config.server().adminToken(), access.keys.ring(), config.auth().jwt().map(JwtCredentials::new),
                logs.writer(AdminAuditEncoder::new), config.instanceId());
        Future<List<String>> listeners = vertx.deployVerticle(() -> new ApiVerticle(config.server(), inference, metadata, metrics, admin,
                        feedback, connections, guard, adminAuth, tls), new DeploymentOptions().setInstances(eventLoops()))
                .map(List::of);
        if (config.server().grpc().enabled()) {
            listeners = listeners.compose(http -> vertx.deployVerticle(() -> new GrpcVerticle(config.server(), models, pipeline, forcing,
                            dataPlane, metadata, connections, tls), new DeploymentOptions().setInstances(eventLoops()))
                    .map(grpc -> List.of(http.get(0), grpc))
                    .onFailure(e -> vertx.undeploy(http.get(0))));
        }
        return listeners
                .onSuccess(ids -> tls.ifPresent(ServerTls::watch))
                .map(ids -> new Gateway(vertx, models, pipeline, metrics, logs, experiments, access, drift, quality, jobs, ids, tls));
    }

    /**
     * One HTTP listener per event loop, and as many event loops as cores: every loop then serves requests
     * and calls remote backends, so each gets an equal share of a backend's connection pool (the pool is
     * split per calling loop to keep each exchange on one thread, see {@code EventLoopClients}).
     */
    public static int eventLoops() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Requests still in a backend when the listeners stopped are logged when their call ends, which is
     * within their model's deadline: the event logs close only after that (or after the longest deadline).
     */
    private void awaitBackendCalls() throws InterruptedException {
        long longest = models.models().stream().mapToLong(model -> model.config().timeout().toMillis()).max().orElse(0);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(longest + 1_000);
        while (inference.inBackends() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        if (inference.inBackends() > 0) {
            LOG.warn("{} requests were still in a backend {} ms after the listeners stopped", inference.inBackends(), longest + 1_000);
        }
    }

    public ModelRegistry models() {
        return models;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Stops accepting requests, lets in-flight ones finish, flushes the event logs, releases models. */
    public Future<Void> stop() {
        tls.ifPresent(ServerTls::close);
        return Future.join(deploymentIds.stream().map(vertx::undeploy).toList())
                .eventually(() -> vertx.executeBlocking(() -> {
                    awaitBackendCalls();
                    jobs.close(); // cancelled jobs record where they stopped: resume them with ?resume=true
                    if (drift != null) {
                        drift.close();
                    }
                    if (quality != null) {
                        quality.close();
                    }
                    experiments.close();
                    access.close();
                    logs.close();
                    models.close();
                    metrics.close();
                    return null;
                }))
                .mapEmpty();
    }
}
