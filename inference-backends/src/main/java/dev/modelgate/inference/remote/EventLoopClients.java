package dev.modelgate.inference.remote;

import io.netty.channel.EventLoopGroup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP client, with its own share of the keep-alive pool, per Vert.x event loop that calls the backend.
 *
 * <p>Why: a Vert.x client pool hands any idle connection to any caller (it picks the most recently used
 * one, whatever its event loop), and a connection does its I/O on the event loop that opened it. With one
 * pool for the whole gateway, a request served on event loop A often goes out over a connection of event
 * loop B: the write is handed from A to B and the answer back from B to A, two thread wake-ups per call.
 * Measured with the bare proxy of {@code scripts/bench-backends.sh}: about 10 % fewer requests/s with one
 * shared pool than with a pool per event loop. A client used from one event loop only opens its
 * connections there, so the whole exchange stays on the caller's thread.
 *
 * <p>The endpoint's {@code maxPoolSize} stays the total: it is split evenly between the event loops
 * (one client per loop, or fewer clients when there are fewer connections than loops). The clients are
 * created up front, in the caller's context like any client, and each event loop claims one on its first
 * call.
 */
public final class EventLoopClients implements AutoCloseable {

    private final List<HttpClientAgent> clients;
    private final Map<Thread, HttpClientAgent> byLoop = new ConcurrentHashMap<>();
    private final AtomicInteger claimed = new AtomicInteger();

    private EventLoopClients(List<HttpClientAgent> clients) {
        this.clients = List.copyOf(clients);
    }

    /** @param maxPoolSize HTTP/1.1 connections, or HTTP/2 ones when {@code options} speak HTTP/2 */
    public static EventLoopClients create(Vertx vertx, HttpClientOptions options, int maxPoolSize) {
        int count = Math.min(eventLoops(vertx), maxPoolSize);
        List<HttpClientAgent> clients = new ArrayList<>(count);
        boolean http2 = options.getProtocolVersion() == HttpVersion.HTTP_2;
        for (int i = 0; i < count; i++) {
            int share = maxPoolSize / count + (i < maxPoolSize % count ? 1 : 0);
            PoolOptions pool = http2 ? new PoolOptions().setHttp2MaxSize(share) : new PoolOptions().setHttp1MaxSize(share);
            clients.add(vertx.createHttpClient(options, pool));
        }
        return new EventLoopClients(clients);
    }

    /** The client of the calling event loop; call it on an event loop. */
    public HttpClientAgent current() {
        HttpClientAgent mine = byLoop.get(Thread.currentThread());
        if (mine == null) {
            // more loops than clients (fewer connections than loops, or a second Vertx): they share the last one
            mine = byLoop.computeIfAbsent(Thread.currentThread(),
                    loop -> clients.get(Math.min(claimed.getAndIncrement(), clients.size() - 1)));
        }
        return mine;
    }

    @Override
    public void close() {
        Future.join(clients.stream().map(HttpClientAgent::close).toList());
    }

    // Vert.x 5 exposes the size of its event-loop group only on its integrator API (VertxInternal)
    private static int eventLoops(Vertx vertx) {
        EventLoopGroup group = ((VertxInternal) vertx).nettyEventLoopGroup();
        int loops = 0;
        for (var ignored : group) {
            loops++;
        }
        return Math.max(1, loops);
    }
}
