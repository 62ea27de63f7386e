package dev.modelgate.gateway.telemetry.batch;

import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import dev.modelgate.gateway.telemetry.clickhouse.StagedInsert;
import java.io.InputStream;

/**
 * One writer's view of its ClickHouse: whether the schema is there, whether every earlier attempt is
 * fenced off, and when to try again after a failure. The schema is applied before the first call and
 * again after every failure, so a gateway that started while ClickHouse was down (or a ClickHouse that
 * came back empty) gets its tables before anything is written. After a failure, retries wait
 * {@code replayBackoffMin}, doubling up to {@code replayBackoffMax}, but a cheap probe every
 * {@code probeInterval} ends the wait as soon as ClickHouse answers. Writer thread only.
 */
final class ClickHouseLink {

    private final ClickHouseConnection clickHouse;
    private final ClickHouseSchema schema;
    private final StagedInsert inserts;
    private final WriterSettings settings;

    private boolean schemaApplied;
    /** True once every staging table of earlier attempts is gone, so a lookup tells the truth. */
    private boolean fenced;
    private long backoffNanos;
    private long nextTryNanos;
    private long nextProbeNanos;

    ClickHouseLink(ClickHouseConnection clickHouse, ClickHouseSchema schema, StagedInsert inserts, WriterSettings settings) {
        this.clickHouse = clickHouse;
        this.schema = schema;
        this.inserts = inserts;
        this.settings = settings;
        this.backoffNanos = settings.replayBackoffMin().toNanos();
        this.nextTryNanos = System.nanoTime();
    }

    /** Inserts exactly once (see {@link StagedInsert#insert}); on failure, call {@link #failed}. */
    void insert(InsertFormat format, InputStream rows, String landedPredicate) throws ClickHouseCallException {
        applySchemaOnce();
        inserts.insert(format, rows, landedPredicate);
    }

    /** Whether the batch whose first row {@code landedPredicate} matches is in ClickHouse, for sure. */
    boolean landed(String landedPredicate) throws ClickHouseCallException {
        applySchemaOnce();
        if (!fenced) {
            inserts.fence();
            fenced = true;
        }
        return inserts.landed(landedPredicate);
    }

    /**
     * A call failed with an unknown outcome: re-apply the schema and fence again before the next lookup.
     * {@code again} doubles the wait (a retry failed); otherwise it starts over at the minimum.
     */
    void failed(boolean again) {
        schemaApplied = false;
        fenced = false;
        backoffNanos = again ? Math.min(backoffNanos * 2, settings.replayBackoffMax().toNanos()) : settings.replayBackoffMin().toNanos();
        long now = System.nanoTime();
        nextTryNanos = now + backoffNanos;
        nextProbeNanos = now + settings.probeInterval().toNanos();
    }

    private void applySchemaOnce() throws ClickHouseCallException {
        if (!schemaApplied) {
            schema.apply(clickHouse);
            schemaApplied = true;
        }
    }

    /** A retry succeeded: the next one may follow at once. */
    void succeeded() {
        backoffNanos = settings.replayBackoffMin().toNanos();
        nextTryNanos = System.nanoTime();
    }

    /** The current wait between retries, for log lines. */
    long backoffMillis() {
        return backoffNanos / 1_000_000;
    }

    /** Whether to retry now: the wait is over, or a probe (at most one per probe interval) got an answer. */
    boolean retryDue() {
        long now = System.nanoTime();
        if (now - nextTryNanos >= 0) {
            return true;
        }
        if (now - nextProbeNanos < 0) {
            return false;
        }
        nextProbeNanos = now + settings.probeInterval().toNanos();
        return clickHouse.ping();
    }
}
