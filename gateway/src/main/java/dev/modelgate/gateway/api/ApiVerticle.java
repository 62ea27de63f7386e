package dev.modelgate.gateway.api;

import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.config.ServerConfig;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import dev.modelgate.gateway.tls.ServerTls;
import java.util.Optional;
import java.util.function.Function;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One HTTP listener of the data plane. The gateway deploys one instance per core; Vert.x spreads
 * connections across them, each on its own event loop.
 */
public final class ApiVerticle extends VerticleBase {

    /** Reference uploads: data sets, bounded by {@code server.max_upload_bytes} instead of {@code max_body_bytes}. */
    private static final String UPLOAD_PATH = "/admin/models/:model/reference";
    private static final Pattern UPLOAD = Pattern.compile("/admin/models/[^/]+/reference");

    private final ServerConfig server;
    private final InferenceHandler inference;
    private final MetadataHandlers metadata;
    private final GatewayMetrics metrics;
    private final List<AdminRoutes> admin;
    private final Handler<RoutingContext> feedback;
    private final ConnectionGuard connections;
    private final DataPlaneGuard guard;
    private final Handler<RoutingContext> adminAuth;
    private final Optional<ServerTls> tls;
    private Function<ServerSSLOptions, Future<Boolean>> tlsUpdates;

    /** A plain-HTTP listener. */
    public ApiVerticle(ServerConfig server, InferenceHandler inference, MetadataHandlers metadata, GatewayMetrics metrics,
                       List<AdminRoutes> admin, Handler<RoutingContext> feedback, ConnectionGuard connections,
                       DataPlaneGuard guard, Handler<RoutingContext> adminAuth) {
        this(server, inference, metadata, metrics, admin, feedback, connections, guard, adminAuth, Optional.empty());
    }

    /**
     * @param connections shared by every listener of the process: the connection cap is for all of them
     * @param guard       API keys and rate limits on the data plane
     * @param adminAuth   who may call the admin API, and in which role
     * @param tls         the certificates every listener serves, kept current with their files; empty for plain HTTP
     */
    public ApiVerticle(ServerConfig server, InferenceHandler inference, MetadataHandlers metadata, GatewayMetrics metrics,
                       List<AdminRoutes> admin, Handler<RoutingContext> feedback, ConnectionGuard connections,
                       DataPlaneGuard guard, Handler<RoutingContext> adminAuth, Optional<ServerTls> tls) {
        this.server = server;
        this.inference = inference;
        this.metadata = metadata;
        this.metrics = metrics;
        this.admin = List.copyOf(admin);
        this.feedback = feedback;
        this.connections = connections;
        this.guard = guard;
        this.adminAuth = adminAuth;
        this.tls = tls;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        RawBodyHandler body = new RawBodyHandler(server.maxBodyBytes());
        // the API key is checked before a byte of the body is read; limits after, so a refusal's row holds the body
        router.post("/v2/models/:model/infer").handler(guard.authenticate()).handler(body).handler(guard.limit()).handler(inference);
        router.post("/v1/feedback").handler(guard.authenticate()).handler(body).handler(feedback);
        router.get("/v2").handler(metadata::server);
        router.get("/v2/health/live").handler(metadata::live);
        router.get("/v2/health/ready").handler(metadata::ready);
        router.get("/v2/models/:model").handler(metadata::model);
        router.get("/v2/models/:model/ready").handler(metadata::modelReady);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.get("/openapi.json").handler(OpenApiDocument.handler());

        // the token is checked before a byte of the body is read: an unauthenticated caller costs nothing.
        // An upload's body (a data set, not a request) is read by its own handler; the admin one then passes it on.
        router.route("/admin/*").handler(adminAuth);
        router.put(UPLOAD_PATH).handler(BodyHandler.create(false).setBodyLimit(server.maxUploadBytes()));
        router.route("/admin/*").handler(body);
        admin.forEach(routes -> routes.mount(router));

        // every status a handler (ours or Vert.x's) can fail a request with is answered in JSON
        RouterErrors errors = new RouterErrors(this::bodyLimit, inference.earlyRejections());
        for (int status = 400; status < 600; status++) {
            router.errorHandler(status, errors.handler(status));
        }

        HttpServerOptions options = connections.apply(new HttpServerOptions()
                .setHost(server.host())
                .setPort(server.port())
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                // HTTP/1.1 only: the read deadline and the connection cap are per HTTP/1.1 connection
                .setHttp2ClearTextEnabled(false));
        tls.ifPresent(certificates -> certificates.apply(options));
        HttpServer listener = vertx.createHttpServer(options)
                .connectionHandler(connections::accept)
                .invalidRequestHandler(InvalidRequests::answer)
                .requestHandler(connections.watch(router));
        return listener.listen().onSuccess(listening -> tls.ifPresent(certificates -> {
            tlsUpdates = listener::updateSSLOptions;
            certificates.register(tlsUpdates);
        }));
    }

    @Override
    public Future<?> stop() {
        tls.ifPresent(certificates -> certificates.unregister(tlsUpdates));
        return Future.succeededFuture();
    }

    private long bodyLimit(RoutingContext ctx) {
        return ctx.request().method() == HttpMethod.PUT && UPLOAD.matcher(ctx.request().path()).matches()
                ? server.maxUploadBytes() : server.maxBodyBytes();
    }
}
