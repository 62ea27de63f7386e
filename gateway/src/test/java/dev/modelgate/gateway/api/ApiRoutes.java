package dev.modelgate.gateway.api;

import dev.modelgate.drift.evaluate.DriftSettings;
import dev.modelgate.gateway.batch.BatchEnvironment;
import dev.modelgate.gateway.batch.JobAdminRoutes;
import dev.modelgate.gateway.batch.JobManager;
import dev.modelgate.gateway.batch.JobMetrics;
import dev.modelgate.gateway.serving.FeatureColumns;
import java.time.Clock;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.gateway.admin.AdminAuth;
import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.admin.KeyAdminRoutes;
import dev.modelgate.gateway.keys.InMemoryKeyStore;
import dev.modelgate.gateway.keys.KeySecrets;
import dev.modelgate.gateway.keys.KeyService;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import dev.modelgate.gateway.admin.BackendAdminRoutes;
import dev.modelgate.gateway.console.ConsoleAssets;
import dev.modelgate.gateway.console.ConsoleRoutes;
import dev.modelgate.gateway.admin.ExperimentAdminRoutes;
import dev.modelgate.gateway.analysis.ExperimentAnalysis;
import dev.modelgate.gateway.config.ConfigLoader;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.RowCaps;
import dev.modelgate.gateway.config.ServerConfig;
import dev.modelgate.gateway.control.DecisionRecorder;
import dev.modelgate.gateway.control.LocalVariantStats;
import dev.modelgate.gateway.drift.DriftService;
import dev.modelgate.gateway.quality.QualityService;
import dev.modelgate.gateway.metrics.ExperimentMetrics;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.serving.BackendFactory;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.state.InMemoryExperimentStore;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TruncationMeter;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings;
import dev.modelgate.inference.resilience.ResiliencePolicies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An {@link ApiVerticle} deployed in-process with the control plane {@code Gateway} mounts (experiments,
 * backends, drift, quality, results, jobs), and the router it built: the last admin routes only remember the router
 * they are mounted on, after every other route is registered. The admin API takes API keys with a role
 * from {@link #keys} (no admin token is configured). Nothing here contacts ClickHouse.
 */
record ApiRoutes(Router router, int port, KeyService keys) {

    static ApiRoutes deploy(Vertx vertx) throws Exception {
        int port = freePort();
        GatewayMetrics metrics = new GatewayMetrics("test");
        ModelRegistry models = ModelRegistry.load(List.of(TestExchanges.MODEL.config()),
                (model, variant) -> Future.succeededFuture(TestExchanges.V1.backend()), Map.of()).await(10, TimeUnit.SECONDS);
        GatewayConfig config = config(port);
        InMemoryExperimentStore store = new InMemoryExperimentStore(List.of());
        ResiliencePolicies policies = ResiliencePolicies.create(vertx);
        // the drift routes do not depend on which models are watched; the test model has no metadata to profile
        ModelRegistry unwatched = ModelRegistry.load(List.of(), (model, variant) -> Future.failedFuture("unused"), Map.of())
                .await(10, TimeUnit.SECONDS);
        DriftService drift = DriftService.create(config, unwatched, ClickHouseConnection.open(ClickHouseSettings.defaults()),
                row -> {}, metrics.registry(), run -> {}, () -> false);
        QualityService quality = QualityService.create(config, ClickHouseConnection.open(ClickHouseSettings.defaults()), row -> {},
                metrics.registry(), List.of(), () -> false);
        KeyService keys = KeyService.start(vertx, new InMemoryKeyStore(), List.of(), Duration.ofSeconds(1),
                new KeySecrets(new SecureRandom()), Clock.systemUTC()).await(10, TimeUnit.SECONDS);
        Router[] mounted = new Router[1];
        List<AdminRoutes> admin = List.of(
                new ExperimentAdminRoutes(store, config.models(), new DecisionRecorder(decision -> {}, "test")),
                new BackendAdminRoutes(models, policies, new BackendFactory(vertx, policies, metrics), metrics.registry()),
                new ConsoleRoutes(ConsoleAssets.load()),
                drift.adminRoutes(),
                quality.adminRoutes(),
                ExperimentAnalysis.start(vertx, store, Optional.empty(), row -> {}, metrics.registry(), () -> false,
                        Duration.ofMinutes(1), Duration.ofMinutes(1), "test").adminRoutes(),
                new KeyAdminRoutes(keys, config.models().keySet(), name -> new JsonObject()),
                new JobAdminRoutes(new JobManager(new BatchEnvironment(models, new RequestRouter(store), Optional.empty(), Optional.empty(),
                        DriftSettings.defaults(), new FeatureColumns(128), "test", new JobMetrics(metrics.registry()), Clock.systemUTC()), 1, 1)),
                router -> mounted[0] = router);
        ExchangeLog log = new ExchangeLog(metrics, new ExperimentMetrics(metrics.registry()), new LocalVariantStats(),
                new PredictionEventFactory("test", new RowCaps(128, 1_024, 4_096, 1_024, 65_536),
                        new TruncationMeter(metrics.registry(), PredictionsTable.NAME)), event -> {});
        InferenceHandler inference = new InferenceHandler(models, new InferencePipeline(vertx, new RequestRouter(store), log),
                new VariantForcing(""), log);
        ServerConfig server = new ServerConfig("127.0.0.1", port, 1_000_000, 1_000_000, Duration.ofSeconds(2), "");
        vertx.deployVerticle(new ApiVerticle(server, inference, new MetadataHandlers(models, "test", List::of), metrics, admin,
                ctx -> ctx.response().end(), new ConnectionGuard(server.connections()),
                TestGuards.guard(TestGuards.OPEN, keys.ring(), models, log, metrics),
                new AdminAuth("", keys.ring(), Optional.empty(), event -> {}, "test")))
                .await(10, TimeUnit.SECONDS);
        return new ApiRoutes(mounted[0], port, keys);
    }

    /** The configuration of the test model, for the parts of the control plane that read it. */
    private static GatewayConfig config(int port) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.putObject("server").put("host", "127.0.0.1").put("port", port);
        tree.putObject("models").putObject("fraud-score").putObject("variants").putObject("v1").putObject("backend")
                .put("type", "onnx").put("path", "fraud-score.onnx");
        return new ConfigLoader(Map.of()).parse(tree, Path.of("../demo").toAbsolutePath().normalize());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
