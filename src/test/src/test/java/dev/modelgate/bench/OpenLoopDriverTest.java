package dev.modelgate.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator's promise: a constant arrival rate, and latencies that include the time calls
 * spent queued behind a stall (no coordinated omission). A closed-loop generator would report the
 * stall below as one slow call out of a thousand and a p99 near zero.
 */
class OpenLoopDriverTest {

    private static final double RATE = 1_000;

    @Test
    void a_stall_shows_in_every_call_due_during_it() throws Exception {
        long stallMillis = 200;
        long stalledCall = 500;
        Operation stallsOnce = Operation.blocking(sequence -> () -> {
            if (sequence == stalledCall) {
                Thread.sleep(stallMillis);
            }
            return sequence;
        });

        LatencyReport report = new OpenLoopDriver(RATE, Duration.ofSeconds(1))
                .run(stallsOnce, Duration.ZERO, Duration.ofSeconds(1));

        // The ~200 calls due during the 200 ms stall waited from 200 ms down to ~0 ms: about a fifth of
        // all calls waited, so p99 sits near the full stall and p50 is untouched.
        assertThat(report.completed()).isEqualTo(1_000);
        assertThat(report.p99Micros()).isGreaterThan(150_000);
        assertThat(report.maxMicros()).isGreaterThanOrEqualTo(stallMillis * 1_000.0);
        assertThat(report.p50Micros()).isLessThan(20_000);
    }

    @Test
    void starts_calls_at_the_configured_rate_and_measures_only_after_the_warm_up() throws Exception {
        AtomicLong started = new AtomicLong();
        long begin = System.nanoTime();

        LatencyReport report = new OpenLoopDriver(RATE, Duration.ofSeconds(1)).run(sequence -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture(sequence);
        }, Duration.ofMillis(300), Duration.ofMillis(700));

        double elapsedSeconds = (System.nanoTime() - begin) / 1e9;
        assertThat(started.get()).isEqualTo(1_000);
        assertThat(report.completed()).isEqualTo(700);
        assertThat(elapsedSeconds).isBetween(0.99, 1.5);
    }

    @Test
    void counts_failed_and_unanswered_calls_instead_of_timing_them() throws Exception {
        LatencyReport report = new OpenLoopDriver(RATE, Duration.ofMillis(50)).run(sequence -> {
            if (sequence % 10 == 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("HTTP 503"));
            }
            if (sequence % 10 == 1) {
                return new CompletableFuture<>();
            }
            if (sequence % 10 == 2) {
                throw new IllegalArgumentException("bad request built");
            }
            return CompletableFuture.completedFuture(sequence);
        }, Duration.ZERO, Duration.ofMillis(100));

        assertThat(report.completed()).isEqualTo(70);
        assertThat(report.failed()).isEqualTo(20);
        assertThat(report.unfinished()).isEqualTo(10);
    }
}
