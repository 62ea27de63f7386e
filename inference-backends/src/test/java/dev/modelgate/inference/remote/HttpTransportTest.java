package dev.modelgate.inference.remote;

import dev.modelgate.inference.remote.StubServer.Reply;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The transport's connection pools as a caller sees them: per event loop, never more than the endpoint allows. */
class HttpTransportTest {

    private static final String SLOW = "/slow";
    private static final String FAST = "/fast";
    private static final long DELAY_MILLIS = 300;

    private static Vertx vertx;
    private StubServer server;
    private HttpTransport transport;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    }

    @AfterAll
    static void stopVertx() {
        Await.result(vertx.close());
    }

    @BeforeEach
    void startServer() {
        server = StubServer.start(vertx).route(HttpMethod.GET, SLOW, Reply.ok("{}").after(DELAY_MILLIS))
                .route(HttpMethod.GET, FAST, Reply.ok("{}"));
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        server.close();
    }

    @Test
    void eachEventLoopHasItsOwnShareOfThePool() {
        // 4 connections on 4 event loops: one each, so a loop's second concurrent call waits for its first
        transport = HttpTransport.create(vertx, RemoteEndpoint.of(server.baseUri()).withMaxPoolSize(4));
        List<Context> loops = distinctEventLoops(2);

        long sameLoop = millisFor(() -> Future.all(call(loops.get(0)), call(loops.get(0))));
        long twoLoops = millisFor(() -> Future.all(call(loops.get(0)), call(loops.get(1))));

        assertThat(sameLoop).isGreaterThanOrEqualTo(2 * DELAY_MILLIS - 10);
        assertThat(twoLoops).isLessThan(2 * DELAY_MILLIS - 50);
    }

    @Test
    void neverOpensMoreConnectionsInAllThanTheEndpointAllows() {
        // fewer connections than event loops: the loops share them rather than get one each
        transport = HttpTransport.create(vertx, RemoteEndpoint.of(server.baseUri()).withMaxPoolSize(3));
        List<Future<?>> calls = new ArrayList<>();
        for (Context loop : distinctEventLoops(4)) {
            calls.add(call(loop));
            calls.add(call(loop));
        }
        Await.result(Future.all(calls));

        assertThat(server.connectionsOpened()).isEqualTo(3);
        assertThat(server.received(SLOW)).hasSize(8);
    }

    @Test
    void answersOnTheCallersEventLoop() {
        transport = HttpTransport.create(vertx, RemoteEndpoint.of(server.baseUri()));
        for (Context loop : distinctEventLoops(4)) {
            Thread caller = Await.result(threadOf(loop));
            Promise<Thread> answeredOn = Promise.promise();
            loop.runOnContext(v -> transport.get(FAST).onComplete(done -> answeredOn.complete(Thread.currentThread())));
            assertThat(Await.result(answeredOn.future())).isSameAs(caller);
        }
    }

    private Future<HttpReply> call(Context loop) {
        Promise<HttpReply> reply = Promise.promise();
        loop.runOnContext(v -> transport.get(SLOW).onComplete(reply));
        return reply.future();
    }

    private static long millisFor(Supplier<Future<?>> calls) {
        long start = System.nanoTime();
        Await.result(calls.get());
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The contexts of {@code n} verticle instances: Vert.x puts them on distinct event loops (round-robin). */
    private static List<Context> distinctEventLoops(int n) {
        List<Context> contexts = new CopyOnWriteArrayList<>();
        Await.result(vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                contexts.add(context);
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setInstances(n)));
        List<Thread> threads = new ArrayList<>();
        for (Context context : contexts) {
            threads.add(Await.result(threadOf(context)));
        }
        assertThat(threads).as("event-loop threads of the contexts").doesNotHaveDuplicates().hasSize(n);
        return contexts;
    }

    private static Future<Thread> threadOf(Context context) {
        Promise<Thread> thread = Promise.promise();
        context.runOnContext(v -> thread.complete(Thread.currentThread()));
        return thread.future();
    }
}
