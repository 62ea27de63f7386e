package dev.modelgate.gateway.control;

import dev.modelgate.experiments.canary.VariantWindow;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * This replica's own request counts, errors and latencies per experiment and assigned variant, in
 * one-minute slots over the last hour. The canary controller reads them when ClickHouse cannot answer:
 * a decision from one replica's traffic beats no decision at all. Recording is lock-free: it runs on
 * the request path.
 */
public final class LocalVariantStats {

    private static final int SLOTS = 60;
    private static final long SLOT_MILLIS = TimeUnit.MINUTES.toMillis(1);
    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

    private record Key(String experiment, String variant) {}

    private static final class Slot {
        final long minute;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final Histogram latencyMicros = new ConcurrentHistogram(MAX_LATENCY_MICROS, 2);

        Slot(long minute) {
            this.minute = minute;
        }
    }

    private final ConcurrentMap<Key, AtomicReferenceArray<Slot>> series = new ConcurrentHashMap<>();

    public void record(String experiment, String variant, boolean failed, long latencyNanos, long nowMillis) {
        AtomicReferenceArray<Slot> slots = series.computeIfAbsent(new Key(experiment, variant), k -> new AtomicReferenceArray<>(SLOTS));
        long minute = nowMillis / SLOT_MILLIS;
        int index = (int) (minute % SLOTS);
        Slot slot = slots.get(index);
        while (slot == null || slot.minute != minute) {
            Slot fresh = new Slot(minute);
            if (slots.compareAndSet(index, slot, fresh)) {
                slot = fresh;
            } else {
                slot = slots.get(index);
            }
        }
        slot.requests.incrementAndGet();
        if (failed) {
            slot.errors.incrementAndGet();
        }
        slot.latencyMicros.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, latencyNanos / 1_000)));
    }

    /** Everything recorded from the minute holding {@code sinceMillis} on (at most the last hour). */
    public VariantWindow window(String experiment, String variant, long sinceMillis, long nowMillis) {
        AtomicReferenceArray<Slot> slots = series.get(new Key(experiment, variant));
        if (slots == null) {
            return new VariantWindow(0, 0, 0.0);
        }
        long firstMinute = Math.max(sinceMillis / SLOT_MILLIS, nowMillis / SLOT_MILLIS - SLOTS + 1);
        long requests = 0;
        long errors = 0;
        Histogram latency = new Histogram(MAX_LATENCY_MICROS, 2);
        for (int i = 0; i < SLOTS; i++) {
            Slot slot = slots.get(i);
            if (slot != null && slot.minute >= firstMinute) {
                requests += slot.requests.get();
                errors += slot.errors.get();
                latency.add(slot.latencyMicros);
            }
        }
        double p99Millis = requests == 0 ? 0.0 : latency.getValueAtPercentile(99.0) / 1_000.0;
        // a request recorded between the two reads may have counted its error but not itself
        return new VariantWindow(requests, Math.min(errors, requests), p99Millis);
    }

    public void forget(String experiment) {
        series.keySet().removeIf(key -> key.experiment().equals(experiment));
    }
}
