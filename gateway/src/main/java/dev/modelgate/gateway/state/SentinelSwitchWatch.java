package dev.modelgate.gateway.state;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * Every sentinel is listened to, so that one sentinel down does not hide a switch; each new primary is acted
 * on once, however many sentinels announce it.
 */
final class SentinelSwitchWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentinelSwitchWatch.class);
    private static final String CHANNEL = "+switch-master";

    private final RedisClient client;
    private final RedisURI uri;
    private final Runnable onSwitch;
    /** Subscriptions by sentinel ({@code host:port}); Lettuce resubscribes each after a reconnect to its sentinel. */
    private final Map<String, StatefulRedisPubSubConnection<String, String>> connections = new ConcurrentHashMap<>();
    /** The primary ({@code ip port}) last acted on. */
    private final AtomicReference<String> lastPrimary = new AtomicReference<>("");

    /** @param onSwitch called on a Lettuce thread when the master switched: must not block */
    SentinelSwitchWatch(RedisClient client, RedisURI uri, Runnable onSwitch) {
        this.client = client;
        this.uri = uri;
        this.onSwitch = onSwitch;
    }

    /** Subscribes on every sentinel not subscribed yet that answers. Blocks while connecting. */
    synchronized void ensureWatching() {
        for (RedisURI sentinel : uri.getSentinels()) {
            String address = sentinel.getHost() + ":" + sentinel.getPort();
            if (connections.containsKey(address)) {
                continue;
            }
            try {
                StatefulRedisPubSubConnection<String, String> events = client.connectPubSub(StringCodec.UTF8, sentinel);
                events.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        switched(channel, message);
                    }
                });
                events.sync().subscribe(CHANNEL);
                connections.put(address, events);
            } catch (RuntimeException e) {
                LOG.debug("sentinel {} not answering ({}); subscribed at the next reconnection", address, e.toString());
            }
        }
        if (connections.isEmpty()) {
            LOG.warn("no sentinel answered: a switch of the primary is noticed only when the old one closes its connections");
        }
    }

    private void switched(String channel, String message) {
        // "<master name> <old ip> <old port> <new ip> <new port>"
        List<String> fields = List.of(message.split(" "));
        if (!CHANNEL.equals(channel) || fields.size() != 5 || !fields.get(0).equals(uri.getSentinelMasterId())) {
            return;
        }
        String primary = fields.get(3) + " " + fields.get(4);
        if (!lastPrimary.getAndSet(primary).equals(primary)) {
            LOG.warn("Sentinel switched the primary of '{}' ({}): reconnecting to the new primary", uri.getSentinelMasterId(), message);
            onSwitch.run();
        }
    }

    @Override
    public void close() {
        connections.values().forEach(StatefulRedisPubSubConnection::close);
        connections.clear();
    }
}
