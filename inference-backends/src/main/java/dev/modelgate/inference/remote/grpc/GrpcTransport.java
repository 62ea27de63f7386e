package dev.modelgate.inference.remote.grpc;

import com.google.protobuf.Message;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.oip.OipService;
import dev.modelgate.inference.remote.EventLoopClients;
import dev.modelgate.inference.remote.OffLoopCalls;
import dev.modelgate.inference.remote.RemoteEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.impl.GrpcClientImpl;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One backend's gRPC client: Vert.x's {@link GrpcClient} over pooled HTTP/2 connections (h2c, or h2 over
 * TLS for an https URL), one pool per calling event loop as for HTTP backends ({@link EventLoopClients}).
 * It turns what can go wrong into {@link InferenceException}s: the server's gRPC status (INVALID_ARGUMENT
 * is the input's fault, RESOURCE_EXHAUSTED is load shedding, DEADLINE_EXCEEDED a timeout, anything else
 * a backend failure, with the server's message), and failures on the wire as {@code BACKEND_FAILURE} with
 * the original exception as cause, so a retry policy can tell a call that never left from one that may
 * have reached the server.
 */
final class GrpcTransport implements AutoCloseable {

    /** Answers up to this size are accepted: a batch of image-sized outputs, well above gRPC's usual 4 MiB. */
    static final long MAX_ANSWER_BYTES = 64L << 20;

    private final Vertx vertx;
    private final RemoteEndpoint endpoint;
    private final SocketAddress server;
    private final EventLoopClients connections;
    private final OffLoopCalls offLoopCalls;
    private final Map<HttpClientAgent, GrpcClient> clients = new ConcurrentHashMap<>();

    private GrpcTransport(Vertx vertx, RemoteEndpoint endpoint, EventLoopClients connections) {
        this.vertx = vertx;
        this.endpoint = endpoint;
        this.server = SocketAddress.inetSocketAddress(endpoint.port(), endpoint.baseUri().getHost());
        this.connections = connections;
        this.offLoopCalls = OffLoopCalls.create(vertx);
    }

    static GrpcTransport create(Vertx vertx, RemoteEndpoint endpoint) {
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setSsl(endpoint.isTls())
                .setUseAlpn(endpoint.isTls())
                // prior knowledge: gRPC servers speak HTTP/2 from the first byte, no HTTP/1.1 upgrade
                .setHttp2ClearTextUpgrade(false)
                .setConnectTimeout(Math.toIntExact(endpoint.connectTimeout().toMillis()));
        return new GrpcTransport(vertx, endpoint, EventLoopClients.create(vertx, options, endpoint.maxPoolSize()));
    }

    /** One unary call, with the endpoint's request timeout as its deadline (sent to the server as grpc-timeout). */
    <Req extends Message, Resp extends Message> Future<Resp> call(OipService.Method<Req, Resp> method, Req request) {
        return offLoopCalls.run(() -> client().request(server, method.client())
                .compose(call -> call.timeout(endpoint.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).send(request))
                .compose(response -> response.last().transform(last -> {
                    if (response.status() == GrpcStatus.OK && last.succeeded()) {
                        return Future.succeededFuture(last.result());
                    }
                    return Future.failedFuture(failure(method.name(), response, last.cause()));
                }))
                .recover(failure -> Future.failedFuture(failure instanceof InferenceException known ? known
                        : wireFailure(method.name(), failure))));
    }

    private GrpcClient client() {
        // GrpcClient.client(vertx, httpClient) takes no options, and its default 256 KiB answer limit is too
        // small for image-sized outputs: the implementation's constructor (public class, protected for
        // subclasses) takes both, and false leaves the pooled connections' lifecycle to us
        return clients.computeIfAbsent(connections.current(), agent -> new GrpcClientImpl(vertx, new GrpcClientOptions()
                .setMaxMessageSize(MAX_ANSWER_BYTES).setScheduleDeadlineAutomatically(true), agent, false) {});
    }

    private InferenceException failure(String method, GrpcClientResponse<?, ?> response, Throwable cause) {
        GrpcStatus status = response.status();
        if (status == null || status == GrpcStatus.OK) {
            return wireFailure(method, cause);
        }
        String where = endpoint.baseUri() + " " + method;
        String message = response.statusMessage() == null ? "" : ": " + response.statusMessage();
        return switch (status) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> InferenceException.invalidInput(where + " rejected the input" + message);
            case RESOURCE_EXHAUSTED -> new InferenceException(InferenceException.Kind.OVERLOADED, where + " is overloaded" + message);
            case DEADLINE_EXCEEDED -> new InferenceException(InferenceException.Kind.TIMEOUT, where + " did not answer within "
                    + endpoint.requestTimeout().toMillis() + " ms" + message);
            default -> new InferenceException(InferenceException.Kind.BACKEND_FAILURE, where + " failed with " + status + message);
        };
    }

    private InferenceException wireFailure(String method, Throwable failure) {
        String where = endpoint.baseUri() + " " + method;
        if (failure instanceof TimeoutException) {
            return new InferenceException(InferenceException.Kind.TIMEOUT,
                    "no answer from " + where + " within " + endpoint.requestTimeout().toMillis() + " ms", failure);
        }
        return new InferenceException(InferenceException.Kind.BACKEND_FAILURE, "cannot reach " + where + ": " + failure, failure);
    }

    @Override
    public void close() {
        connections.close();
    }
}
