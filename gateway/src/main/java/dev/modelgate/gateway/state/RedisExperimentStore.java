package dev.modelgate.gateway.state;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Experiments shared by a fleet through Redis: one hash ({@code <prefix>:experiments}, name → JSON)
 * and a channel ({@code <prefix>:experiments:changed}). A write updates the hash and publishes; every
 * replica reloads the hash when it hears the message, and also every {@code resyncMillis}, which
 * covers messages missed while Redis was unreachable. Until a reload succeeds a replica keeps its
 * last view, so requests keep being routed the way they were. A marker key records that the fleet has
 * written its experiments; when a replica finds it gone, Redis has lost its data (a restart without
 * persistence) and the replica writes its own view back instead of adopting an empty one.
 */
public final class RedisExperimentStore implements ExperimentStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisExperimentStore.class);

    /** Replace a field only if it still holds what the writer read: concurrent updates do not overwrite each other. */
    private static final String COMPARE_AND_SET = """
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if (current == false and ARGV[2] == '') or current == ARGV[2] then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
              return 1
            end
            return 0
            """;
    private static final int UPDATE_ATTEMPTS = 5;

    private final RedisConnections redis;
    private final Vertx vertx;
    private final ExperimentCodec codec = new ExperimentCodec();
    private final String hashKey;
    private final String markerKey;
    private final String channel;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final long resyncTimer;
    private volatile Map<String, StoredExperiment> experiments = Map.of();
    private volatile boolean reachable;

    private RedisExperimentStore(RedisConnections redis, Vertx vertx, String keyPrefix, long resyncMillis) {
        this.redis = redis;
        this.vertx = vertx;
        this.hashKey = keyPrefix + ":experiments";
        this.markerKey = keyPrefix + ":experiments:initialized";
        this.channel = keyPrefix + ":experiments:changed";
        this.resyncTimer = vertx.setPeriodic(resyncMillis, id -> refresh());
    }

    /**
     * Connects, seeds the experiments Redis does not have yet (Redis wins: it holds the latest admin
     * changes), and loads the view. Redis being down is not fatal: the store starts with the seeds as
     * its view and keeps trying.
     */
    public static Future<RedisExperimentStore> start(RedisConnections redis, Vertx vertx, String keyPrefix,
                                                     long resyncMillis, List<StoredExperiment> seeds) {
        RedisExperimentStore store = new RedisExperimentStore(redis, vertx, keyPrefix, resyncMillis);
        Map<String, StoredExperiment> initial = new HashMap<>();
        seeds.forEach(s -> initial.put(s.name(), s));
        store.experiments = Map.copyOf(initial);
        return vertx.executeBlocking(() -> {
            try {
                store.writeBack(seeds);
                store.subscribe();
            } catch (Exception e) {
                LOG.warn("Redis unreachable at start ({}): routing by the configured experiments until it is back", e.toString());
            }
            return store;
        }).compose(s -> s.load().otherwise(e -> null).map(s));
    }

    private void subscribe() {
        redis.pubSub(connection -> {
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    if (channel.equals(from)) {
                        refresh();
                    }
                }
            });
            connection.async().subscribe(channel);
        });
    }

    /** Reloads the view unless a reload is already running; failures keep the last view. */
    private void refresh() {
        if (refreshing.compareAndSet(false, true)) {
            load().onComplete(ar -> refreshing.set(false));
        }
    }

    /** Adds the experiments Redis does not hold (never overwriting), then marks the fleet's state as written. */
    private void writeBack(java.util.Collection<StoredExperiment> experiments) throws Exception {
        for (StoredExperiment experiment : experiments) {
            redis.async().hsetnx(hashKey, experiment.name(), codec.toJson(experiment)).get();
        }
        redis.async().set(markerKey, "1").get();
    }

    private Future<Void> load() {
        return vertx.executeBlocking(() -> {
            subscribe();
            if (redis.async().exists(markerKey).get() == 0) {
                LOG.warn("Redis has lost the experiments (restarted without persistence?); writing back this replica's {}",
                        experiments.size());
                writeBack(experiments.values());
            }
            return redis.async().hgetall(hashKey).get();
        }, false).<Void>map(entries -> {
            Map<String, StoredExperiment> next = new HashMap<>();
            entries.forEach((name, json) -> {
                try {
                    next.put(name, codec.fromJson(json));
                } catch (RuntimeException e) {
                    LOG.error("experiment '{}' in Redis cannot be read, keeping the last known version: {}", name, e.getMessage());
                    StoredExperiment known = experiments.get(name);
                    if (known != null) {
                        next.put(name, known);
                    }
                }
            });
            if (!reachable) {
                LOG.info("experiments loaded from Redis ({} experiments)", next.size());
            }
            reachable = true;
            if (!next.equals(experiments)) {
                experiments = Map.copyOf(next);
                listeners.forEach(Runnable::run);
            }
            return null;
        }).onFailure(e -> {
            if (reachable) {
                LOG.warn("Redis unreachable ({}): routing by the last known experiments", e.toString());
            }
            reachable = false;
        });
    }

    /** False while the last reload failed. */
    public boolean isReachable() {
        return reachable;
    }

    @Override
    public Map<String, StoredExperiment> all() {
        return experiments;
    }

    @Override
    public Future<StoredExperiment> put(StoredExperiment experiment) {
        return write(() -> {
            redis.async().hset(hashKey, experiment.name(), codec.toJson(experiment)).get();
            return experiment;
        });
    }

    @Override
    public Future<StoredExperiment> update(String name, UnaryOperator<StoredExperiment> change) {
        return write(() -> {
            for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
                String current = redis.async().hget(hashKey, name).get();
                if (current == null) {
                    throw new NoSuchElementException("experiment '" + name + "' not found");
                }
                StoredExperiment next = change.apply(codec.fromJson(current));
                Long swapped = redis.async().<Long>eval(COMPARE_AND_SET, ScriptOutputType.INTEGER,
                        new String[] {hashKey}, name, current, codec.toJson(next)).get();
                if (swapped == 1L) {
                    return next;
                }
            }
            throw new IllegalStateException("experiment '" + name + "' kept changing under " + UPDATE_ATTEMPTS + " attempts to update it");
        });
    }

    @Override
    public Future<Boolean> delete(String name) {
        return write(() -> redis.async().hdel(hashKey, name).get() > 0);
    }

    /** Runs a blocking write off the event loop, then tells every replica (this one included) to reload. */
    private <T> Future<T> write(java.util.concurrent.Callable<T> operation) {
        return vertx.executeBlocking(() -> {
            T result = unwrap(operation);
            redis.async().set(markerKey, "1").get();
            redis.async().publish(channel, "changed").get();
            return result;
        }, false).compose(result -> load().otherwise(e -> null).map(result));
    }

    private static <T> T unwrap(java.util.concurrent.Callable<T> operation) throws Exception {
        try {
            return operation.call();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        vertx.cancelTimer(resyncTimer);
        listeners.clear();
    }
}
