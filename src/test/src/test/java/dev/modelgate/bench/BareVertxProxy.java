package dev.modelgate.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;

/**
 * The ceiling a Vert.x 5 proxy reaches on this machine: what the gateway would cost if it did nothing but
 * forward. Set up like the gateway (native transport, one event loop and one listener verticle per
 * core, TCP_NODELAY, keep-alive pool to the backend) but it reads no JSON, routes nothing and
 * logs nothing: the body bytes go to the backend, and the backend's status, content type and body come back
 * unchanged. Each listener has its own client, so a request and its backend connection share one event
 * loop and no answer crosses threads; the keep-alive connections are split evenly between the listeners.
 * A backend that cannot be reached gives a 502.
 *
 * <p>System properties (defaults): {@code bench.port} (required), {@code bench.backend} (required,
 * {@code http://host:port}), {@code bench.instances} (listener verticles: the number of cores, as the
 * gateway), {@code bench.connections} (keep-alive connections to the backend in all, 64). Runs until killed.
 */
public final class BareVertxProxy extends VerticleBase {

    private final String host;
    private final int port;
    private final URI backend;
    private final int connectionsPerListener;
    private HttpClient client;

    private BareVertxProxy(String host, int port, URI backend, int connectionsPerListener) {
        this.host = host;
        this.port = port;
        this.backend = backend;
        this.connectionsPerListener = connectionsPerListener;
    }

    public static void main(String[] args) {
        int port = BenchProperties.positiveInt("bench.port", 0);
        URI backend = URI.create(BenchProperties.string("bench.backend", ""));
        if (!"http".equals(backend.getScheme()) || backend.getHost() == null || backend.getPort() < 0) {
            throw new IllegalArgumentException("bench.backend must be http://host:port, got '" + backend + "'");
        }
        int instances = BenchProperties.positiveInt("bench.instances", Runtime.getRuntime().availableProcessors());
        int connections = BenchProperties.positiveInt("bench.connections", 64);
        int perListener = Math.max(1, connections / instances);

        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(instances));
        if (!vertx.isNativeTransportEnabled()) {
            vertx.close();
            throw new IllegalStateException("no native transport: the gateway's ceiling must be measured with it",
                    vertx.unavailableNativeTransportCause());
        }
        vertx.deployVerticle(() -> new BareVertxProxy("127.0.0.1", port, backend, perListener),
                        new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.out.printf("bare Vert.x proxy on 127.0.0.1:%d -> %s, %d listeners, %d connections each%n",
                        port, backend, instances, perListener))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public Future<?> start() {
        client = vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost(backend.getHost())
                        .setDefaultPort(backend.getPort())
                        .setKeepAlive(true)
                        .setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(connectionsPerListener));
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
                .requestHandler(this::forward)
                .listen();
    }

    private void forward(HttpServerRequest incoming) {
        RequestOptions outgoing = new RequestOptions().setMethod(incoming.method()).setURI(incoming.uri());
        String contentType = incoming.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            outgoing.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        incoming.body()
                .compose(body -> client.request(outgoing).compose(request -> request.send(body)))
                .compose(answer -> answer.body().compose(body -> {
                    String answerType = answer.getHeader(HttpHeaders.CONTENT_TYPE);
                    if (answerType != null) {
                        incoming.response().putHeader(HttpHeaders.CONTENT_TYPE, answerType);
                    }
                    return incoming.response().setStatusCode(answer.statusCode()).end(body);
                }))
                .onFailure(failure -> {
                    // the caller may have gone away meanwhile: then there is nobody left to answer
                    if (!incoming.response().ended() && !incoming.response().closed()) {
                        incoming.response().setStatusCode(502).end(Buffer.buffer(String.valueOf(failure)));
                    }
                });
    }
}
