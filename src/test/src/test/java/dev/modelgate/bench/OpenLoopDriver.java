package dev.modelgate.bench;

import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts an operation at a constant arrival rate whatever the answers do (an open loop), and measures
 * each latency from the moment the call was <em>due</em>, not from when it was actually started.
 * A stall therefore shows in every call queued behind it, as users would feel it, instead of being
 * hidden because the generator stalled too ("coordinated omission", as wrk2 corrects it).
 *
 * <p>Warm-up and measurement are one uninterrupted schedule, so the system under test never sees the
 * load drop between them; only calls due inside the measured window are recorded.
 */
final class OpenLoopDriver {

    /** Latencies above this are clamped: a minute means the run is broken, the exact value no longer matters. */
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int SIGNIFICANT_DIGITS = 3;
    /** Lets the first call be due after set-up, so it does not start late by construction. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final long periodNanos;
    private final Duration drainTimeout;

    /**
     * @param ratePerSecond calls started per second
     * @param drainTimeout  how long to wait, after the last call was started, for the answers still out
     */
    OpenLoopDriver(double ratePerSecond, Duration drainTimeout) {
        if (!(ratePerSecond > 0) || ratePerSecond > 1e7) {
            throw new IllegalArgumentException("ratePerSecond must be in (0, 1e7], got " + ratePerSecond);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must be >= 0, got " + drainTimeout);
        }
        this.periodNanos = Math.round(TimeUnit.SECONDS.toNanos(1) / ratePerSecond);
        this.drainTimeout = drainTimeout;
    }

    LatencyReport run(Operation operation, Duration warmUp, Duration measured) throws InterruptedException {
        if (warmUp.isNegative() || measured.isNegative() || measured.isZero()) {
            throw new IllegalArgumentException("warmUp must be >= 0 and measured > 0, got " + warmUp + " and " + measured);
        }
        long firstMeasured = warmUp.toNanos() / periodNanos;
        long calls = firstMeasured + Math.max(1, measured.toNanos() / periodNanos);
        Recorder latencies = new Recorder(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        Recorder sendLag = new Recorder(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        LongAdder failed = new LongAdder();
        CountDownLatch answered = new CountDownLatch(Math.toIntExact(calls));

        long start = System.nanoTime() + START_DELAY_NANOS;
        for (long call = 0; call < calls; call++) {
            long due = start + call * periodNanos;
            waitUntil(due);
            boolean recorded = call >= firstMeasured;
            if (recorded) {
                sendLag.recordValue(clamp(System.nanoTime() - due));
            }
            startedSafely(operation, call).whenComplete((answer, failure) -> {
                if (recorded) {
                    if (failure == null) {
                        latencies.recordValue(clamp(System.nanoTime() - due));
                    } else {
                        failed.increment();
                    }
                }
                answered.countDown();
            });
        }
        answered.await(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
        return LatencyReport.of(latencies.getIntervalHistogram(), failed.sum(), answered.getCount(),
                sendLag.getIntervalHistogram());
    }

    /** parkNanos may wake early (spuriously or on interrupt), hence the loop. */
    private static void waitUntil(long due) throws InterruptedException {
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("open-loop run interrupted");
            }
        }
    }

    /** An operation that throws instead of returning a failed stage still counts as one failed call. */
    private static CompletionStage<?> startedSafely(Operation operation, long call) {
        try {
            return operation.start(call);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static long clamp(long nanos) {
        return Math.min(Math.max(nanos, 0), HIGHEST_TRACKABLE_NANOS);
    }
}
