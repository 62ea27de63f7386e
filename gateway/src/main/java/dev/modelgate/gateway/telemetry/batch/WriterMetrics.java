package dev.modelgate.gateway.telemetry.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.EnumMap;
import java.util.Map;

/**
 * The writer's meters, all tagged with {@code table}. Counters count rows (restarts aside), not batches.
 * Prometheus renders them as {@code modelgate_events_<name>_total}, the spool and queue gauges as
 * {@code modelgate_events_spool_bytes} and {@code modelgate_events_queue_bytes}, the timer as
 * {@code modelgate_events_flush_seconds}.
 */
final class WriterMetrics {

    private final Counter queued;
    private final Counter written;
    private final Counter spooled;
    private final Counter replayed;
    private final Counter recovered;
    private final Counter restarts;
    private final Counter walErrors;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Timer flush;

    WriterMetrics(MeterRegistry registry, String table, BatchWriter<?> writer, DiskSpool spool) {
        Tags tags = Tags.of("table", table);
        queued = counter(registry, "modelgate.events.queued", "Events accepted into the in-memory queue", tags);
        written = counter(registry, "modelgate.events.written", "Rows inserted into ClickHouse directly", tags);
        spooled = counter(registry, "modelgate.events.spooled", "Rows written to the disk spool", tags);
        replayed = counter(registry, "modelgate.events.replayed", "Rows moved from the disk spool into ClickHouse", tags);
        recovered = counter(registry, "modelgate.events.recovered",
                "Rows an earlier run had accepted, read back from its write-ahead log at start", tags);
        restarts = counter(registry, "modelgate.events.writer.restarts", "Times the writer thread failed and restarted", tags);
        walErrors = counter(registry, "modelgate.events.wal.errors",
                "Rows that could not be appended to the write-ahead log (written, but not crash-safe)", tags);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, counter(registry, "modelgate.events.dropped", "Events lost, by reason",
                    tags.and("reason", reason.tag())));
        }
        Gauge.builder("modelgate.events.queue.depth", writer, BatchWriter::queuedRows)
                .description("Events waiting in the in-memory queue").tags(tags).register(registry);
        Gauge.builder("modelgate.events.queue", writer, BatchWriter::queuedBytes).baseUnit(BaseUnits.BYTES)
                .description("Encoded bytes waiting in the in-memory queue").tags(tags).register(registry);
        Gauge.builder("modelgate.events.writer.stalled", writer, w -> w.stalled() ? 1 : 0)
                .description("1 while events wait and the writer has not taken any for the stall timeout").tags(tags).register(registry);
        Gauge.builder("modelgate.events.spool", spool, DiskSpool::bytes).baseUnit(BaseUnits.BYTES)
                .description("Size of the disk spool").tags(tags).register(registry);
        Gauge.builder("modelgate.events.spool.files", spool, DiskSpool::files)
                .description("Batches waiting in the disk spool").tags(tags).register(registry);
        flush = Timer.builder("modelgate.events.flush")
                .description("Time to hand one batch to ClickHouse or to the spool").tags(tags).register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    void queued() {
        queued.increment();
    }

    void written(int rows) {
        written.increment(rows);
    }

    void spooled(int rows) {
        spooled.increment(rows);
    }

    void replayed(int rows) {
        replayed.increment(rows);
    }

    void recovered(int rows) {
        recovered.increment(rows);
    }

    void restarted() {
        restarts.increment();
    }

    void walError() {
        walErrors.increment();
    }

    void dropped(DropReason reason, int rows) {
        dropped.get(reason).increment(rows);
    }

    Timer flushTimer() {
        return flush;
    }
}
