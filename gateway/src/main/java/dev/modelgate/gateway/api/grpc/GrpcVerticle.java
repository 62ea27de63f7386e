package dev.modelgate.gateway.api.grpc;

import dev.modelgate.gateway.api.ConnectionGuard;
import dev.modelgate.gateway.api.DataPlaneAccess;
import dev.modelgate.gateway.api.InferencePipeline;
import dev.modelgate.gateway.api.MetadataHandlers;
import dev.modelgate.gateway.api.VariantForcing;
import dev.modelgate.gateway.config.ServerConfig;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.Optional;
import java.util.function.Function;

/**
 * One listener of the Open Inference Protocol's gRPC service ({@code inference.GRPCInferenceService}) on
 * {@code server.grpc_port}: HTTP/2 with prior knowledge (h2c) as gRPC clients connect without TLS, or HTTP/2
 * over TLS (ALPN) with the HTTP listener's certificates when {@code server.tls} is set. A port
 * of its own rather than the HTTP port, which stays HTTP/1.1-only: its read deadline and malformed-message
 * answers are per HTTP/1.1 connection. The connection cap is shared with the HTTP listener and the idle
 * timeout is the same; each call gets the request-read timeout. Deployed once per event loop, as the
 * HTTP listener is.
 */
public final class GrpcVerticle extends VerticleBase {

    private final ServerConfig server;
    private final ModelRegistry models;
    private final InferencePipeline pipeline;
    private final VariantForcing forcing;
    private final DataPlaneAccess access;
    private final MetadataHandlers metadata;
    private final ConnectionGuard connections;
    private final Optional<ServerTls> tls;
    private Function<ServerSSLOptions, Future<Boolean>> tlsUpdates;

    /** @param tls the HTTP listener's certificates, when it has them: then gRPC is served over TLS too (HTTP/2 by ALPN) */
    public GrpcVerticle(ServerConfig server, ModelRegistry models, InferencePipeline pipeline, VariantForcing forcing,
                        DataPlaneAccess access, MetadataHandlers metadata, ConnectionGuard connections, Optional<ServerTls> tls) {
        this.server = server;
        this.models = models;
        this.pipeline = pipeline;
        this.forcing = forcing;
        this.access = access;
        this.metadata = metadata;
        this.connections = connections;
        this.tls = tls;
    }

    @Override
    public Future<?> start() {
        long maxMessageBytes = server.grpc().maxMessageBytes();
        GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions()
                .setMaxMessageSize(maxMessageBytes)
                // plain gRPC only: no gRPC-Web, no HTTP/JSON transcoding on this port
                .removeEnabledProtocol(GrpcProtocol.WEB)
                .removeEnabledProtocol(GrpcProtocol.WEB_TEXT)
                .removeEnabledProtocol(GrpcProtocol.TRANSCODING));
        new GrpcInference(vertx, models, pipeline, forcing, access, maxMessageBytes, connections.limits().requestReadTimeout()).mount(grpc);
        new GrpcHealth(models, metadata).mount(grpc);
        HttpServerOptions options = connections.apply(new HttpServerOptions()
                .setHost(server.host())
                .setPort(server.grpc().port())
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                .setHttp2ClearTextEnabled(tls.isEmpty()));
        tls.ifPresent(certificates -> certificates.apply(options).setUseAlpn(true));
        HttpServer listener = vertx.createHttpServer(options)
                .connectionHandler(connections::acceptMultiplexed)
                .requestHandler(grpc);
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
}
