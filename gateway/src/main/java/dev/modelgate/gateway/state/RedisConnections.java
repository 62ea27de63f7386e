package dev.modelgate.gateway.state;

import dev.modelgate.gateway.config.ClientTlsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
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

    public RedisConnections(String url, Duration commandTimeout) {
        this(url, "", ClientTlsConfig.DEFAULTS, commandTimeout);
    }

    /**
     * @param password Redis's {@code AUTH} password; empty keeps what the URL says (none, or its own)
     * @param tls      for a {@code rediss://} URL: the CA that signed Redis's certificate (default: the JVM's
     *                 trusted CAs) and the client certificate, when Redis asks for one ({@code tls-auth-clients})
     */
    public RedisConnections(String url, String password, ClientTlsConfig tls, Duration commandTimeout) {
        client = RedisEndpoint.create(url, password, tls, commandTimeout).client();
    }

    /** The async command API, connecting first if needed. Blocks while connecting: call off the event loop. */
    public RedisAsyncCommands<String, String> async() {
        StatefulRedisConnection<String, String> connection = commands.get();
        if (connection == null) {
            synchronized (this) {
                connection = commands.get();
                if (connection == null) {
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
    public StatefulRedisPubSubConnection<String, String> pubSub(java.util.function.Consumer<StatefulRedisPubSubConnection<String, String>> onConnect) {
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
