package dev.modelgate.gateway.state;

import dev.modelgate.gateway.config.ClientTlsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Redis client and its two connections (commands, pub/sub), shared by the experiment
 * store and the leader lease. Commands fail fast while Redis is unreachable ({@link RedisEndpoint}), so
 * callers can fall back to their last known state at once. Connecting is retried by the callers' periodic work: Redis may be down
 * when the gateway starts.
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);

    private final RedisClient client;
    private final AtomicReference<StatefulRedisConnection<String, String>> commands = new AtomicReference<>();
    private final AtomicReference<StatefulRedisPubSubConnection<String, String>> pubSub = new AtomicReference<>();
    /** Null unless the URL names sentinels. */
    private final SentinelSwitchWatch sentinelWatch;
    private final List<Runnable> switchListeners = new CopyOnWriteArrayList<>();
    /** What the pub/sub connection was set up with, to set up its replacement after a switch of the primary. */
    private volatile Consumer<StatefulRedisPubSubConnection<String, String>> pubSubSetup;

    public RedisConnections(String url, Duration commandTimeout) {
        this(url, "", ClientTlsConfig.DEFAULTS, commandTimeout);
    }

    /**
     * @param password Redis's {@code AUTH} password; empty keeps what the URL says (none, or its own)
     * @param tls      for a {@code rediss://} URL: the CA that signed Redis's certificate (default: the JVM's
     *                 trusted CAs) and the client certificate, when Redis asks for one ({@code tls-auth-clients})
     */
    public RedisConnections(String url, String password, ClientTlsConfig tls, Duration commandTimeout) {
        RedisEndpoint endpoint = RedisEndpoint.create(url, password, tls, commandTimeout);
        client = endpoint.client();
        sentinelWatch = endpoint.uri().getSentinels().isEmpty() ? null : new SentinelSwitchWatch(client, endpoint.uri(), this::primarySwitched);
    }

    /** Called (off the event loop) after the sentinels switched the primary and the connections moved to it. */
    public void onPrimarySwitch(Runnable listener) {
        switchListeners.add(listener);
    }

    /**
     * Drops both connections, so that the next command and the pub/sub subscription go to the primary the sentinels
     * name now; then tells the listeners (the store re-reads, and writes back what it knows and the new primary lacks).
     * On a thread of its own: it is called on a Lettuce thread and reconnecting blocks.
     */
    private void primarySwitched() {
        Thread thread = new Thread(() -> {
            synchronized (this) {
                closeQuietly(commands.getAndSet(null));
                closeQuietly(pubSub.getAndSet(null));
            }
            try {
                var setup = pubSubSetup;
                if (setup != null) {
                    pubSub(setup);
                }
            } catch (RuntimeException e) {
                LOG.warn("could not subscribe on the new primary yet ({}); retried at the next sync", e.toString());
            }
            switchListeners.forEach(Runnable::run);
        }, "redis-primary-switch");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(io.lettuce.core.api.StatefulConnection<String, String> connection) {
        if (connection != null) {
            connection.closeAsync();
        }
    }

    /** The async command API, connecting first if needed. Blocks while connecting: call off the event loop. */
    public RedisAsyncCommands<String, String> async() {
        StatefulRedisConnection<String, String> connection = commands.get();
        if (connection == null) {
            synchronized (this) {
                connection = commands.get();
                if (connection == null) {
                    if (sentinelWatch != null) {
                        sentinelWatch.ensureWatching();
                    }
                    connection = client.connect();
                    commands.set(connection);
                    LOG.info("connected to Redis");
                }
            }
        }
        return connection.async();
    }

    /**
     * The pub/sub connection, connecting (and handing it to {@code onConnect} to add listeners and
     * subscribe) the first time. Lettuce resubscribes by itself after a reconnect.
     */
    public StatefulRedisPubSubConnection<String, String> pubSub(Consumer<StatefulRedisPubSubConnection<String, String>> onConnect) {
        pubSubSetup = onConnect;
        StatefulRedisPubSubConnection<String, String> connection = pubSub.get();
        if (connection == null) {
            synchronized (this) {
                connection = pubSub.get();
                if (connection == null) {
                    connection = client.connectPubSub();
                    onConnect.accept(connection);
                    pubSub.set(connection);
                }
            }
        }
        return connection;
    }

    @Override
    public void close() {
        if (sentinelWatch != null) {
            sentinelWatch.close();
        }
        var c = commands.getAndSet(null);
        if (c != null) {
            c.close();
        }
        var p = pubSub.getAndSet(null);
        if (p != null) {
            p.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
