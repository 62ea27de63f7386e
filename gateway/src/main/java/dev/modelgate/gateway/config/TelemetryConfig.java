package dev.modelgate.gateway.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The event log to ClickHouse.
 *
 * @param enabled             false keeps serving but logs nothing (for benchmarks and local runs)
 * @param durability          {@code wal}: every event is in a write-ahead log before its response is sent;
 *                            {@code async}: events live in memory until written or spooled
 * @param walDir              where the write-ahead log lives
 * @param walFsyncInterval    how often the log is forced to disk (zero: never; a process crash loses
 *                            nothing either way, a machine crash what was not forced)
 * @param batchSize           a batch is flushed when it holds this many rows...
 * @param batchMaxBytes       ...or this many encoded bytes...
 * @param flushInterval       ...or when its first row is this old
 * @param queueCapacity       events waiting for the writer; past it new events are dropped and counted
 * @param queueMaxBytes       encoded bytes waiting for the writer; past it likewise
 * @param spoolDir            where batches wait while ClickHouse is unavailable
 * @param spoolMaxBytes       the spool's cap; past it batches are dropped and counted
 * @param insertTimeout       one insert's deadline, so a slow ClickHouse cannot stall the writer
 * @param replayBackoffMin    first wait before the spool is retried after a failure (doubling up to the max;
 *                            a probe every 500 ms ends the wait as soon as ClickHouse answers)
 * @param replayBackoffMax    longest wait between retries
 * @param stallTimeout        a writer that has taken nothing from a non-empty queue for this long makes
 *                            the gateway not ready
 * @param rowCaps             how much of one request a prediction row may hold
 */
public record TelemetryConfig(
        boolean enabled,
        Durability durability,
        Path walDir,
        Duration walFsyncInterval,
        int batchSize,
        long batchMaxBytes,
        Duration flushInterval,
        int queueCapacity,
        long queueMaxBytes,
        Path spoolDir,
        long spoolMaxBytes,
        Duration insertTimeout,
        Duration replayBackoffMin,
        Duration replayBackoffMax,
        Duration stallTimeout,
        RowCaps rowCaps) {

    /** What survives a crash of the gateway's process. */
    public enum Durability {
        /** Every answered request's event: it is in the write-ahead log before the response is sent. */
        WAL,
        /** Events written or spooled; those still queued or in the open batch (up to a flush interval) are lost. */
        ASYNC
    }
}
