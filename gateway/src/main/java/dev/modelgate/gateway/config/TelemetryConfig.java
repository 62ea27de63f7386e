package dev.modelgate.gateway.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The event log to ClickHouse.
 *
 * @param enabled             false keeps serving but logs nothing (for benchmarks and local runs)
 * @param batchSize           a batch is flushed when it holds this many rows...
 * @param flushInterval       ...or when its first row is this old
 * @param queueCapacity       events waiting for the writer; past it new events are dropped and counted
 * @param spoolDir            where batches wait while ClickHouse is unavailable
 * @param spoolMaxBytes       the spool's cap; past it batches are dropped and counted
 * @param insertTimeout       one insert's deadline, so a slow ClickHouse cannot stall the writer
 * @param rowCaps             how much of one request a prediction row may hold
 */
public record TelemetryConfig(
        boolean enabled,
        int batchSize,
        Duration flushInterval,
        int queueCapacity,
        Path spoolDir,
        long spoolMaxBytes,
        Duration insertTimeout,
        RowCaps rowCaps) {}
