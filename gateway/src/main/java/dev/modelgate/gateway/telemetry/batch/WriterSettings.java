package dev.modelgate.gateway.telemetry.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of one {@link BatchWriter}. Its memory is bounded by {@code queueMaxBytes + 3 * batchMaxBytes}
 * (the queue, the open batch's buffer, which grows by doubling and is kept from batch to batch, and one
 * spooled batch read back for replay) plus one row per offering thread.
 *
 * @param batchSize          rows per insert; a batch is flushed when it reaches this size
 * @param batchMaxBytes      ... or this many encoded bytes
 * @param flushInterval      ... or when this much time has passed since its first row
 * @param queueCapacity      events held in memory; beyond it {@code offer} drops and counts
 * @param queueMaxBytes      encoded bytes held in memory; beyond it {@code offer} drops and counts
 * @param spoolDir           where batches go while ClickHouse is down (one sub-folder per table)
 * @param spoolMaxBytes      cap on the spool; beyond it batches are dropped and counted
 * @param replayBackoffMin   first wait before retrying ClickHouse after a failure
 * @param replayBackoffMax   the wait doubles after each failed retry up to this; meanwhile a cheap probe
 *                           every {@code probeInterval} ends the wait as soon as ClickHouse answers
 * @param probeInterval      how often a backing-off writer asks ClickHouse whether it is back
 * @param walDir             write-ahead log (one sub-folder per table), or null for {@code async} durability
 * @param walFsyncInterval   how often the log is forced to disk; zero never (a process crash loses
 *                           nothing either way, a machine crash what was not forced)
 * @param stallTimeout       a writer that has not taken from a non-empty queue for this long is stalled
 */
public record WriterSettings(int batchSize, long batchMaxBytes, Duration flushInterval, int queueCapacity,
                             long queueMaxBytes, Path spoolDir, long spoolMaxBytes, Duration replayBackoffMin,
                             Duration replayBackoffMax, Duration probeInterval, Path walDir,
                             Duration walFsyncInterval, Duration stallTimeout) {

    /**
     * A batch must stay one ClickHouse block (max_insert_block_size, 1,048,576 rows by default) for its
     * insert to be atomic, which the exactly-once replay relies on.
     */
    public static final int MAX_BATCH_SIZE = 1_000_000;

    public WriterSettings {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be in [1, " + MAX_BATCH_SIZE + "], got: " + batchSize);
        }
        requirePositive("batchMaxBytes", batchMaxBytes);
        requirePositive("flushInterval", flushInterval);
        requirePositive("queueCapacity", queueCapacity);
        requirePositive("queueMaxBytes", queueMaxBytes);
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
        requirePositive("probeInterval", probeInterval);
        Objects.requireNonNull(walFsyncInterval, "walFsyncInterval");
        if (walFsyncInterval.isNegative()) {
            throw new IllegalArgumentException("walFsyncInterval must not be negative, got: " + walFsyncInterval);
        }
        requirePositive("stallTimeout", stallTimeout);
    }

    /**
     * 5,000 rows, 16 MiB or 1 s per batch; 100,000 events or 256 MiB queued; 1 GiB spool; retries after
     * 200 ms growing to 30 s with a probe every 500 ms; no write-ahead log; stalled after 30 s.
     */
    public static WriterSettings defaults(Path spoolDir) {
        return new WriterSettings(5_000, 16L << 20, Duration.ofSeconds(1), 100_000, 256L << 20, spoolDir, 1L << 30,
                Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMillis(500), null, Duration.ZERO,
                Duration.ofSeconds(30));
    }

    public WriterSettings withBatchSize(int value) {
        return new WriterSettings(value, batchMaxBytes, flushInterval, queueCapacity, queueMaxBytes, spoolDir, spoolMaxBytes,
                replayBackoffMin, replayBackoffMax, probeInterval, walDir, walFsyncInterval, stallTimeout);
    }

    public WriterSettings withBatchMaxBytes(long value) {
        return new WriterSettings(batchSize, value, flushInterval, queueCapacity, queueMaxBytes, spoolDir, spoolMaxBytes,
                replayBackoffMin, replayBackoffMax, probeInterval, walDir, walFsyncInterval, stallTimeout);
    }

    public WriterSettings withFlushInterval(Duration value) {
        return new WriterSettings(batchSize, batchMaxBytes, value, queueCapacity, queueMaxBytes, spoolDir, spoolMaxBytes,
                replayBackoffMin, replayBackoffMax, probeInterval, walDir, walFsyncInterval, stallTimeout);
    }

    public WriterSettings withQueueCapacity(int events, long bytes) {
        return new WriterSettings(batchSize, batchMaxBytes, flushInterval, events, bytes, spoolDir, spoolMaxBytes,
                replayBackoffMin, replayBackoffMax, probeInterval, walDir, walFsyncInterval, stallTimeout);
    }

    public WriterSettings withQueueCapacity(int events) {
        return withQueueCapacity(events, queueMaxBytes);
    }

    public WriterSettings withSpoolMaxBytes(long value) {
        return new WriterSettings(batchSize, batchMaxBytes, flushInterval, queueCapacity, queueMaxBytes, spoolDir, value,
                replayBackoffMin, replayBackoffMax, probeInterval, walDir, walFsyncInterval, stallTimeout);
    }

    public WriterSettings withReplayBackoff(Duration min, Duration max) {
        return new WriterSettings(batchSize, batchMaxBytes, flushInterval, queueCapacity, queueMaxBytes, spoolDir, spoolMaxBytes,
                min, max, probeInterval, walDir, walFsyncInterval, stallTimeout);
    }

    public WriterSettings withProbeInterval(Duration value) {
        return new WriterSettings(batchSize, batchMaxBytes, flushInterval, queueCapacity, queueMaxBytes, spoolDir, spoolMaxBytes,
                replayBackoffMin, replayBackoffMax, value, walDir, walFsyncInterval, stallTimeout);
    }

    /** Durability {@code wal}: rows are appended under {@code dir} before {@code offer} returns. */
    public WriterSettings withWriteAheadLog(Path dir, Duration fsyncInterval) {
        return new WriterSettings(batchSize, batchMaxBytes, flushInterval, queueCapacity, queueMaxBytes, spoolDir, spoolMaxBytes,
                replayBackoffMin, replayBackoffMax, probeInterval, Objects.requireNonNull(dir, "dir"), fsyncInterval, stallTimeout);
    }

    public WriterSettings withStallTimeout(Duration value) {
        return new WriterSettings(batchSize, batchMaxBytes, flushInterval, queueCapacity, queueMaxBytes, spoolDir, spoolMaxBytes,
                replayBackoffMin, replayBackoffMax, probeInterval, walDir, walFsyncInterval, value);
    }

    private static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got: " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got: " + value);
        }
    }
}
