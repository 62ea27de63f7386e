package dev.modelgate.gateway.api;

import dev.modelgate.gateway.admin.AdminAuth;
import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.config.ServerConfig;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * One HTTP listener of the data plane. The gateway deploys one instance per core; Vert.x spreads
 * connections across them, each on its own event loop.
 */
public final class ApiVerticle extends VerticleBase {

    private final ServerConfig server;
    private final InferenceHandler inference;
    private final MetadataHandlers metadata;
    private final GatewayMetrics metrics;
    private final List<AdminRoutes> admin;
    private final Handler<RoutingContext> feedback;

    public ApiVerticle(ServerConfig server, InferenceHandler inference, MetadataHandlers metadata, GatewayMetrics metrics,
                       List<AdminRoutes> admin, Handler<RoutingContext> feedback) {
        this.server = server;
        this.inference = inference;
        this.metadata = metadata;
        this.metrics = metrics;
        this.admin = List.copyOf(admin);
        this.feedback = feedback;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(server.maxBodyBytes());
        router.post("/v2/models/:model/infer").handler(body).handler(inference);
        router.post("/v1/feedback").handler(body).handler(feedback);
        router.get("/v2").handler(metadata::server);
        router.get("/v2/health/live").handler(metadata::live);
        router.get("/v2/health/ready").handler(metadata::ready);
        router.get("/v2/models/:model").handler(metadata::model);
        router.get("/v2/models/:model/ready").handler(metadata::modelReady);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.get("/openapi.json").handler(OpenApiDocument.handler());

        // Vert.x wants the body handler first; the limit still bounds what an unauthenticated caller can send
        router.route("/admin/*").handler(body).handler(new AdminAuth(server.adminToken()));
        admin.forEach(routes -> routes.mount(router));

        RouterErrors errors = new RouterErrors(server.maxBodyBytes(), inference.earlyRejections());
        for (int status : List.of(400, 404, 405, 413, 415, 500)) {
            router.errorHandler(status, errors.handler(status));
        }

        HttpServerOptions options = new HttpServerOptions()
                .setHost(server.host())
                .setPort(server.port())
                .setTcpNoDelay(true)
                .setCompressionSupported(false);
        return vertx.createHttpServer(options).requestHandler(router).listen();
    }
}
