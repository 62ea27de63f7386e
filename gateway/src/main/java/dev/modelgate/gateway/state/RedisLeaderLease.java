package dev.modelgate.gateway.state;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease in Redis ({@code SET key holder NX PX ttl}), renewed every third of its time to live. A
 * holder that cannot renew stops calling itself leader once its lease has run out locally, before
 * another replica can acquire it, so two replicas never both act as leader for long.
 */
public final class RedisLeaderLease implements LeaderLease, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLeaderLease.class);

    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private final RedisConnections redis;
    private final Vertx vertx;
    private final String key;
    private final String holder;
    private final long ttlMillis;
    private final long timer;
    private volatile long validUntilNanos;

    public RedisLeaderLease(RedisConnections redis, Vertx vertx, String keyPrefix, String holder, long ttlMillis) {
        this.redis = redis;
        this.vertx = vertx;
        this.key = keyPrefix + ":leader";
        this.holder = holder;
        this.ttlMillis = ttlMillis;
        this.timer = vertx.setPeriodic(0, Math.max(1, ttlMillis / 3), id -> tick());
    }

    @Override
    public boolean isLeader() {
        return System.nanoTime() - validUntilNanos < 0;
    }

    private void tick() {
        vertx.executeBlocking(() -> {
            long started = System.nanoTime();
            boolean held = isLeader()
                    ? redis.async().<Long>eval(RENEW, ScriptOutputType.INTEGER, new String[] {key}, holder, Long.toString(ttlMillis)).get() == 1L
                    : "OK".equals(redis.async().set(key, holder, SetArgs.Builder.nx().px(ttlMillis)).get());
            return held ? started : -1L;
        }, false).onComplete(ar -> {
            boolean wasLeader = isLeader();
            if (ar.succeeded() && ar.result() >= 0) {
                // counted from before the call: the lease in Redis cannot outlive our belief in it
                validUntilNanos = ar.result() + ttlMillis * 1_000_000L;
            } else if (ar.succeeded()) {
                validUntilNanos = System.nanoTime();
            }
            if (wasLeader != isLeader()) {
                LOG.info("{} {} leadership ({})", holder, isLeader() ? "acquired" : "lost", key);
            }
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        if (isLeader()) {
            try {
                redis.async().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key}, holder).get();
            } catch (Exception e) {
                LOG.debug("could not release the lease; it expires by itself", e);
            }
            validUntilNanos = System.nanoTime();
        }
    }
}
