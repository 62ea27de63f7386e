package dev.modelgate.gateway.api;

import dev.modelgate.gateway.config.ConnectionLimits;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps slow, idle and surplus clients from holding the gateway's connections, for every listener of
 * the process at once ({@code server.idle_timeout_ms}, {@code request_read_timeout_ms},
 * {@code max_connections}): a connection over the cap is closed as soon as it is accepted, one that
 * sends nothing and reads nothing for the idle timeout is closed by Vert.x, and one that takes longer
 * than the read timeout to send a request is closed by its {@link ReadDeadline}. Being where a
 * connection's Netty pipeline is reachable, it also puts {@link MalformedMessages} on it.
 */
public final class ConnectionGuard {

    private final ConnectionLimits limits;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionGuard(ConnectionLimits limits) {
        this.limits = limits;
    }

    public HttpServerOptions apply(HttpServerOptions options) {
        return options.setIdleTimeout(Math.toIntExact(limits.idleTimeout().toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /** The HTTP/1.1 listeners' connection handler. */
    void accept(HttpConnection connection) {
        if (!admit(connection)) {
            return;
        }
        // Vert.x has no request-read timeout of its own, nor an answer to every malformed message: Netty
        // handlers on the connection's channel add them
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channel().pipeline();
            pipeline.addFirst(ReadDeadline.NAME, new ReadDeadline(limits.requestReadTimeout()));
            if (pipeline.get(MalformedMessages.VERTX_HANDLER) != null) {
                pipeline.addBefore(MalformedMessages.VERTX_HANDLER, MalformedMessages.NAME, new MalformedMessages());
            }
        }
    }

    /**
     * The HTTP/2 (gRPC) listener's connection handler: the cap only. Its connections carry many calls at
     * once, so the HTTP/1.1 read deadline (one request at a time, answered 408) does not fit them; each call
     * gets a deadline of its own ({@link #limits()}) from the service.
     */
    public void acceptMultiplexed(HttpConnection connection) {
        admit(connection);
    }

    /** Counts the connection in, or closes it when the cap is reached. */
    private boolean admit(HttpConnection connection) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            connection.close();
            return false;
        }
        connection.closeHandler(closed -> open.decrementAndGet());
        return true;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Wraps the listeners' request handler: a request read in full stops its connection's deadline. */
    Handler<HttpServerRequest> watch(Handler<HttpServerRequest> requests) {
        return request -> {
            if (request.connection() instanceof ConnectionBase base
                    && base.channel().pipeline().get(ReadDeadline.NAME) instanceof ReadDeadline deadline) {
                request.end().onComplete(read -> deadline.requestRead());
            }
            requests.handle(request);
        };
    }

    /** Open client connections now. */
    public int open() {
        return open.get();
    }
}
