package dev.modelgate.gateway.state;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Experiments shared by a fleet through Redis ({@link RedisExperimentSet}). Each replica routes by its
 * own versioned view and re-reads the store when a change is announced and every {@code resyncMillis}.
 * It adopts what it reads only when that is at least as new as what it holds: a store without an epoch
 * (it lost its data), at another epoch (repopulated by another replica) or at a lower revision
 * (restored from an older snapshot) first gets this replica's newer experiments and tombstones merged
 * back. Writes are a compare-and-set on the view's epoch and revision; when the store moved, the
 * replica syncs (repopulating it if needed) and computes the change again, so no write lands on a store
 * that lost data and two replicas' writes cannot overwrite each other. All Redis work of a replica runs
 * on one worker thread, one step at a time, so its view only moves forward.
 */
public final class RedisExperimentStore implements ExperimentStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisExperimentStore.class);
    private static final int WRITE_ATTEMPTS = 10;

    private final RedisConnections redis;
    private final RedisExperimentSet set;
    private final ExperimentCodec codec = new ExperimentCodec();
    private final WorkerExecutor worker;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Vertx vertx;
    private final long resyncTimer;
    private volatile ExperimentsView view;
    private volatile boolean reachable = true;

    private RedisExperimentStore(RedisConnections redis, Vertx vertx, String keyPrefix, long resyncMillis, List<StoredExperiment> seeds) {
        this.redis = redis;
        this.vertx = vertx;
        this.set = new RedisExperimentSet(redis, codec, keyPrefix);
        this.view = ExperimentsView.seeded(seeds);
        // one thread: syncs and writes of this replica never interleave
        this.worker = vertx.createSharedWorkerExecutor("modelgate-experiment-store-" + UUID.randomUUID(), 1);
        this.resyncTimer = vertx.setPeriodic(resyncMillis, id -> refresh());
        // writes the old primary took after the sentinels promoted another are gone from the store: written back from this view
        redis.onPrimarySwitch(this::refresh);
    }

    /**
     * Connects and syncs: the configured experiments are merged in where Redis knows nothing newer (an
     * experiment changed or deleted through the admin API keeps that change). Redis being down is not
     * fatal: the store starts with the configured experiments as its view and keeps trying.
     */
    public static Future<RedisExperimentStore> start(RedisConnections redis, Vertx vertx, String keyPrefix,
                                                     long resyncMillis, List<StoredExperiment> seeds) {
        RedisExperimentStore store = new RedisExperimentStore(redis, vertx, keyPrefix, resyncMillis, seeds);
        return store.worker.executeBlocking(() -> {
            store.sync();
            return store;
        }).recover(e -> {
            LOG.warn("Redis unreachable at start ({}): routing by the configured experiments until it is back", e.toString());
            store.reachable = false;
            return Future.succeededFuture(store);
        });
    }

    private void subscribe() {
        redis.pubSub(connection -> {
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    if (set.channel().equals(from)) {
                        refresh();
                    }
                }
            });
            connection.async().subscribe(set.channel());
        });
    }

    /** Syncs unless a sync is already waiting; failures keep the last view. */
    private void refresh() {
        if (refreshing.compareAndSet(false, true)) {
            worker.executeBlocking(() -> {
                refreshing.set(false);
                sync();
                return null;
            }).onFailure(e -> {
                if (reachable) {
                    LOG.warn("Redis unreachable ({}): routing by the last known experiments", e.toString());
                }
                reachable = false;
            });
        }
    }

    /** Reads the store, gives it what this replica knows and it lacks, and adopts the result. On the worker. */
    private void sync() throws Exception {
        subscribe();
        RedisExperimentSet.Snapshot snapshot = set.read();
        ExperimentsView held = view;
        if (snapshot.epoch() == null || !snapshot.epoch().equals(held.epoch()) || snapshot.revision() < held.revision()) {
            explainMerge(snapshot, held);
            set.merge(held, UUID.randomUUID().toString());
            snapshot = set.read();
        }
        if (!reachable) {
            LOG.info("Redis reachable again: experiments at revision {}", snapshot.revision());
        }
        reachable = true;
        adopt(decode(snapshot));
    }

    private void explainMerge(RedisExperimentSet.Snapshot snapshot, ExperimentsView held) {
        if (snapshot.epoch() == null && !held.epoch().isEmpty()) {
            LOG.warn("Redis has lost the experiments (restarted without persistence?): writing back this replica's {} "
                    + "at revision {} before any change is accepted", held.live().size(), held.revision());
        } else if (snapshot.epoch() != null && snapshot.epoch().equals(held.epoch())) {
            LOG.warn("Redis holds revision {} of the experiments, older than this replica's {} (restored from an older "
                    + "snapshot?): writing back what is newer", snapshot.revision(), held.revision());
        } else if (!held.epoch().isEmpty()) {
            LOG.warn("the experiments in Redis were repopulated by another replica: adding what only this replica knows");
        }
    }

    private ExperimentsView decode(RedisExperimentSet.Snapshot snapshot) {
        Map<String, StoredExperiment> live = new HashMap<>();
        snapshot.documents().forEach((name, json) -> {
            try {
                live.put(name, codec.fromJson(json));
            } catch (RuntimeException e) {
                LOG.error("experiment '{}' in Redis cannot be read, keeping the last known version: {}", name, e.getMessage());
                view.find(name).ifPresent(known -> live.put(name, known));
            }
        });
        return new ExperimentsView(snapshot.epoch(), snapshot.revision(), live, snapshot.deleted());
    }

    private void adopt(ExperimentsView next) {
        boolean routingChanged = !next.live().equals(view.live());
        view = next;
        if (routingChanged) {
            listeners.forEach(Runnable::run);
        }
    }

    @Override
    public Map<String, StoredExperiment> all() {
        return view.live();
    }

    @Override
    public Future<ChangeOutcome> change(String name, ExperimentChange change) {
        return worker.executeBlocking(() -> {
            for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
                ExperimentsView current = view;
                Optional<StoredExperiment> before = current.find(name);
                Optional<StoredExperiment> after = change.apply(before, current.live().values());
                if (after.equals(before)) {
                    if (unavailableIfFails(() -> set.check(current)) == RedisExperimentSet.WriteResult.WRITTEN) {
                        return new ChangeOutcome(before, before);
                    }
                } else {
                    Optional<StoredExperiment> stamped = current.stamp(after);
                    if (unavailableIfFails(() -> set.write(current, name, stamped)) == RedisExperimentSet.WriteResult.WRITTEN) {
                        adopt(current.with(name, stamped));
                        return new ChangeOutcome(before, stamped);
                    }
                }
                // another write got in first, or the store lost its data: back off a random moment, so that two
                // replicas writing in bursts do not keep colliding, sync (repopulating the store if needed) and
                // compute the change again from the newer state
                Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * (attempt + 2)));
                unavailableIfFails(() -> {
                    sync();
                    return null;
                });
            }
            throw new ConcurrentChangeException("experiments kept changing during " + WRITE_ATTEMPTS
                    + " attempts to change '" + name + "'; try again");
        });
    }

    /** Redis failing is told apart from the change refusing itself: only the former is {@link StoreUnavailableException}. */
    private static <T> T unavailableIfFails(Callable<T> redisWork) {
        try {
            return redisWork.call();
        } catch (Exception e) {
            throw new StoreUnavailableException(e);
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
        worker.close();
    }
}
