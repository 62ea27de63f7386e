package dev.modelgate.gateway.control;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a periodic monitor (drift, quality): scheduled rounds and on-demand runs execute
 * on it one at a time, never on an event loop, so a monitor's per-variant state needs no locks.
 * Scheduled rounds run only while {@code isLeader} says so; on a round this replica does not lead,
 * {@code onFollower} runs instead (a monitor drops state that the leader's decisions will outdate).
 */
public final class MonitorThread implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorThread.class);

    private final String name;
    private final ScheduledExecutorService thread;

    public MonitorThread(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code round} every {@code interval}, the first one interval from now. */
    public void schedule(Duration interval, BooleanSupplier isLeader, Runnable round, Runnable onFollower) {
        long millis = interval.toMillis();
        thread.scheduleWithFixedDelay(() -> {
            try {
                if (isLeader.getAsBoolean()) {
                    round.run();
                } else {
                    onFollower.run();
                }
            } catch (RuntimeException e) {
                // an escaped exception would cancel the schedule for good
                LOG.error("{}: round failed", name, e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code work} on the monitor's thread, after whatever it is doing. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, thread);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
