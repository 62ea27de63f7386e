package dev.modelgate.inference.remote;

import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 that plays a model server in tests: routes answer with a status,
 * a body and an optional delay, and every request is recorded (method, path, body) so a test can
 * assert exactly what went over the wire.
 */
public final class StubServer implements AutoCloseable {

    /** A request as the server received it. */
    public record Received(HttpMethod method, String path, String body) {

        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** What a route answers. */
    public record Reply(int status, String body, long delayMillis) {

        public static Reply json(int status, String body) {
            return new Reply(status, body, 0);
        }

        public static Reply ok(String body) {
            return json(200, body);
        }

        public Reply after(long millis) {
            return new Reply(status, body, millis);
        }
    }

    private final Vertx vertx;
    private final Map<String, Function<Received, Reply>> routes = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private HttpServer server;

    private final String scheme;

    private StubServer(Vertx vertx, String scheme) {
        this.vertx = vertx;
        this.scheme = scheme;
    }

    /** A server on an ephemeral port. */
    public static StubServer start(Vertx vertx) {
        return start(vertx, 0);
    }

    public static StubServer start(Vertx vertx, int port) {
        return start(vertx, new HttpServerOptions().setPort(port), "http");
    }

    /**
     * An HTTPS server on an ephemeral port with {@code certificate}; with a {@code clientCa} it requires
     * client certificates signed by it (mutual TLS).
     */
    public static StubServer startTls(Vertx vertx, TestCertificates.Issued certificate, Path clientCa) {
        HttpServerOptions options = new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.cert().toString())
                        .setKeyPath(certificate.key().toString()));
        if (clientCa != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(clientCa.toString())).setClientAuth(ClientAuth.REQUIRED);
        }
        return start(vertx, options, "https");
    }

    private static StubServer start(Vertx vertx, HttpServerOptions options, String scheme) {
        StubServer stub = new StubServer(vertx, scheme);
        stub.server = Await.result(vertx.createHttpServer(options.setHost("127.0.0.1"))
                .connectionHandler(connection -> stub.connections.incrementAndGet())
                .requestHandler(stub::handle)
                .listen());
        return stub;
    }

    /** Answers {@code method path} (path without query) with {@code responder}; replaces an earlier route. */
    public StubServer route(HttpMethod method, String path, Function<Received, Reply> responder) {
        routes.put(method.name() + " " + path, responder);
        return this;
    }

    public StubServer route(HttpMethod method, String path, Reply reply) {
        return route(method, path, request -> reply);
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUri() {
        return scheme + "://127.0.0.1:" + port();
    }

    /** TCP connections clients have opened so far. */
    public int connectionsOpened() {
        return connections.get();
    }

    /** Requests received on {@code path}, in arrival order. */
    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Received got = new Received(request.method(), request.path(), body.toString());
            received.add(got);
            Function<Received, Reply> route = routes.get(request.method().name() + " " + request.path());
            Reply reply = route == null ? Reply.json(404, "{\"error\":\"no route " + request.path() + "\"}") : route.apply(got);
            if (reply.delayMillis() > 0) {
                vertx.setTimer(reply.delayMillis(), fired -> send(request, reply));
            } else {
                send(request, reply);
            }
        });
    }

    private static void send(HttpServerRequest request, Reply reply) {
        if (request.response().closed()) {
            return;
        }
        request.response().setStatusCode(reply.status()).putHeader("content-type", "application/json").end(reply.body());
    }

    /**
     * Stops listening and drops open connections; idempotent. Returns once clients have had time to see
     * their pooled connections closed: a request racing the close would fail with "connection closed"
     * rather than with the refused connection a test of a down server expects.
     */
    @Override
    public void close() {
        Await.result(server.close());
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
