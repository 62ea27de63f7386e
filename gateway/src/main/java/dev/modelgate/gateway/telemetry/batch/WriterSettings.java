package dev.modelgate.gateway.telemetry.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of one {@link BatchWriter}.
 *
 * @param batchSize          rows per insert; a batch is flushed when it reaches this size
 * @param flushInterval      ... or when this much time has passed since its first row
 * @param queueCapacity      events held in memory; beyond it {@code offer} drops and counts
 * @param spoolDir           where batches go while ClickHouse is down (one sub-folder per table)
 * @param spoolMaxBytes      cap on the spool; beyond it batches are dropped and counted
 * @param replayBackoffMin   first wait before retrying ClickHouse after a failure
 * @param replayBackoffMax   the wait doubles after each failed retry up to this
 */
public record WriterSettings(int batchSize, Duration flushInterval, int queueCapacity, Path spoolDir,
                             long spoolMaxBytes, Duration replayBackoffMin, Duration replayBackoffMax) {

    /**
     * A batch must stay one ClickHouse block (max_insert_block_size, 1,048,576 rows by default) for its
     * insert to be atomic, which the exactly-once replay relies on.
     */
    public static final int MAX_BATCH_SIZE = 1_000_000;

    public WriterSettings {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be in [1, " + MAX_BATCH_SIZE + "], got: " + batchSize);
        }
        requirePositive("flushInterval", flushInterval);
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive, got: " + queueCapacity);
        }
        Objects.requireNonNull(spoolDir, "spoolDir");
        if (spoolMaxBytes < 0) {
            throw new IllegalArgumentException("spoolMaxBytes must not be negative, got: " + spoolMaxBytes);
        }
        requirePositive("replayBackoffMin", replayBackoffMin);
        requirePositive("replayBackoffMax", replayBackoffMax);
        if (replayBackoffMax.compareTo(replayBackoffMin) < 0) {
            throw new IllegalArgumentException("replayBackoffMax (" + replayBackoffMax
                    + ") is shorter than replayBackoffMin (" + replayBackoffMin + ")");
        }
    }

    /** 5,000 rows or 1 s, 100,000 queued events, 1 GiB spool, retries every 1 s growing to 30 s. */
    public static WriterSettings defaults(Path spoolDir) {
        return new WriterSettings(5_000, Duration.ofSeconds(1), 100_000, spoolDir, 1L << 30,
                Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public WriterSettings withBatchSize(int value) {
        return new WriterSettings(value, flushInterval, queueCapacity, spoolDir, spoolMaxBytes, replayBackoffMin, replayBackoffMax);
    }

    public WriterSettings withFlushInterval(Duration value) {
        return new WriterSettings(batchSize, value, queueCapacity, spoolDir, spoolMaxBytes, replayBackoffMin, replayBackoffMax);
    }

    public WriterSettings withQueueCapacity(int value) {
        return new WriterSettings(batchSize, flushInterval, value, spoolDir, spoolMaxBytes, replayBackoffMin, replayBackoffMax);
    }

    public WriterSettings withSpoolMaxBytes(long value) {
        return new WriterSettings(batchSize, flushInterval, queueCapacity, spoolDir, value, replayBackoffMin, replayBackoffMax);
    }

    public WriterSettings withReplayBackoff(Duration min, Duration max) {
        return new WriterSettings(batchSize, flushInterval, queueCapacity, spoolDir, spoolMaxBytes, min, max);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got: " + value);
        }
    }
}
