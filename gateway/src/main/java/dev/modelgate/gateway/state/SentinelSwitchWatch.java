package dev.modelgate.gateway.state;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the sentinels' {@code +switch-master} announcements for the configured master. A connection made
 * through Sentinel stays on the node it found: when the sentinels promote a replica while the old primary is
 * still up (a planned {@code SENTINEL FAILOVER}, a primary cut off from the sentinels), that old primary keeps
 * accepting writes for several seconds until the sentinels demote it, and whatever it took is then discarded
 * by its resync from the new primary. Measured here: admin writes answered 201 and lost. So the gateway drops
 * its connections as soon as the sentinels announce the switch; the next command looks the primary up again.
 * (A primary that dies closes its connections by itself; Lettuce then reconnects through the sentinels.)
 */
final class SentinelSwitchWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentinelSwitchWatch.class);
    private static final String CHANNEL = "+switch-master";

    private final RedisClient client;
    private final RedisURI uri;
    private final Runnable onSwitch;
    private final AtomicReference<StatefulRedisPubSubConnection<String, String>> connection = new AtomicReference<>();

    /** @param onSwitch called on a Lettuce thread when the master switched: must not block */
    SentinelSwitchWatch(RedisClient client, RedisURI uri, Runnable onSwitch) {
        this.client = client;
        this.uri = uri;
        this.onSwitch = onSwitch;
    }

    /** Subscribes on the first sentinel that answers, unless subscribed already. Blocks while connecting. */
    synchronized void ensureWatching() {
        if (connection.get() != null) {
            return;
        }
        for (RedisURI sentinel : uri.getSentinels()) {
            try {
                StatefulRedisPubSubConnection<String, String> events = client.connectPubSub(StringCodec.UTF8, sentinel);
                events.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        // "<master name> <old ip> <old port> <new ip> <new port>"
                        if (CHANNEL.equals(channel) && message.startsWith(uri.getSentinelMasterId() + " ")) {
                            LOG.warn("Sentinel switched the primary of '{}' ({}): reconnecting to the new primary",
                                    uri.getSentinelMasterId(), message);
                            onSwitch.run();
                        }
                    }
                });
                // Lettuce resubscribes after a reconnect to the same sentinel
                events.sync().subscribe(CHANNEL);
                connection.set(events);
                return;
            } catch (RuntimeException e) {
                LOG.debug("sentinel {}:{} not answering ({}); trying the next", sentinel.getHost(), sentinel.getPort(), e.toString());
            }
        }
        LOG.warn("no sentinel answered: a switch of the primary is noticed only when the old one closes its connections");
    }

    @Override
    public void close() {
        var events = connection.getAndSet(null);
        if (events != null) {
            events.close();
        }
    }
}
