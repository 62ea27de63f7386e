package dev.modelgate.gateway.telemetry.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.EnumMap;
import java.util.Map;
import java.util.Queue;

/**
 * The writer's meters, all tagged with {@code table}. Counters count rows, not batches. Prometheus
 * renders them as {@code modelgate_events_<name>_total}, the spool gauge as
 * {@code modelgate_events_spool_bytes} and the timer as {@code modelgate_events_flush_seconds}.
 */
final class WriterMetrics {

    private final Counter queued;
    private final Counter written;
    private final Counter spooled;
    private final Counter replayed;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Timer flush;

    WriterMetrics(MeterRegistry registry, String table, Queue<?> queue, DiskSpool spool) {
        Tags tags = Tags.of("table", table);
        queued = counter(registry, "modelgate.events.queued", "Events accepted into the in-memory queue", tags);
        written = counter(registry, "modelgate.events.written", "Rows inserted into ClickHouse directly", tags);
        spooled = counter(registry, "modelgate.events.spooled", "Rows written to the disk spool", tags);
        replayed = counter(registry, "modelgate.events.replayed", "Rows moved from the disk spool into ClickHouse", tags);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, counter(registry, "modelgate.events.dropped", "Events lost, by reason",
                    tags.and("reason", reason.tag())));
        }
        Gauge.builder("modelgate.events.queue.depth", queue, Queue::size)
                .description("Events waiting in the in-memory queue").tags(tags).register(registry);
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

    void dropped(DropReason reason, int rows) {
        dropped.get(reason).increment(rows);
    }

    Timer flushTimer() {
        return flush;
    }
}
