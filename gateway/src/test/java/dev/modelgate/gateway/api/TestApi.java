package dev.modelgate.gateway.api;

import dev.modelgate.gateway.admin.AdminAuth;
import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.keys.KeyRing;
import dev.modelgate.gateway.config.RowCaps;
import dev.modelgate.gateway.config.ServerConfig;
import dev.modelgate.gateway.control.LocalVariantStats;
import dev.modelgate.gateway.metrics.ExperimentMetrics;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.state.InMemoryExperimentStore;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TruncationMeter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The API's listener in-process on a free port, serving {@link TestExchanges#MODEL}, with the rows it
 * logs collected in {@link #events}.
 */
final class TestApi implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    final int port = freePort();
    final List<PredictionEvent> events = new CopyOnWriteArrayList<>();
    final GatewayMetrics metrics = new GatewayMetrics("test");

    /**
     * @param server   its port is replaced by a free one
     * @param feedback what {@code POST /v1/feedback} does
     */
    TestApi(ServerConfig server, List<AdminRoutes> admin, Handler<RoutingContext> feedback) throws Exception {
        this(server, admin, feedback, TestGuards.OPEN, new KeyRing());
    }

    /** With the data plane guarded by {@code policy} against {@code keys}. */
    TestApi(ServerConfig server, List<AdminRoutes> admin, Handler<RoutingContext> feedback, DataPlaneAccess.Policy policy,
            KeyRing keys) throws Exception {
        ServerConfig listener = new ServerConfig("127.0.0.1", port, server.maxBodyBytes(), server.maxUploadBytes(),
                server.requestTimeout(), server.adminToken(), server.connections());
        ModelRegistry models = ModelRegistry.load(List.of(TestExchanges.MODEL.config()),
                (model, variant) -> Future.succeededFuture(TestExchanges.V1.backend()), Map.of()).await(10, TimeUnit.SECONDS);
        ExchangeLog log = new ExchangeLog(metrics, new ExperimentMetrics(metrics.registry()), new LocalVariantStats(),
                new PredictionEventFactory("test", new RowCaps(128, 1_024, 4_096, 1_024, 65_536),
                        new TruncationMeter(metrics.registry(), PredictionsTable.NAME)), events::add);
        InferenceHandler inference = new InferenceHandler(models,
                new InferencePipeline(vertx, new RequestRouter(new InMemoryExperimentStore(List.of())), log),
                new VariantForcing(listener.adminToken()), log);
        ConnectionGuard connections = new ConnectionGuard(listener.connections());
        metrics.bindConnections(connections::open);
        vertx.deployVerticle(new ApiVerticle(listener, inference, new MetadataHandlers(models, "test", List::of), metrics, admin,
                feedback, connections, TestGuards.guard(policy, keys, models, log, metrics), new AdminAuth(listener.adminToken())))
                .await(10, TimeUnit.SECONDS);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
