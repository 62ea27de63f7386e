package dev.modelgate.bench;

import org.HdrHistogram.Histogram;

/**
 * What one open-loop run measured, latencies in microseconds from each call's due time.
 *
 * @param completed       calls answered successfully within the measured window
 * @param failed          calls that failed (error, non-200 answer, wrong score)
 * @param unfinished      calls still unanswered when the driver gave up waiting (across the whole run)
 * @param sendLagP99Micros how late the driver itself started calls (99th percentile): the floor under
 *                        every latency it reports, since it measures from the due time
 */
record LatencyReport(long completed, long failed, long unfinished, double p50Micros, double p99Micros,
                     double p999Micros, double maxMicros, double sendLagP99Micros) {

    private static final double NANOS_PER_MICRO = 1_000.0;

    LatencyReport {
        if (completed < 0 || failed < 0 || unfinished < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got completed=" + completed + " failed=" + failed
                    + " unfinished=" + unfinished);
        }
    }

    static LatencyReport of(Histogram latencyNanos, long failed, long unfinished, Histogram sendLagNanos) {
        return new LatencyReport(latencyNanos.getTotalCount(), failed, unfinished,
                micros(latencyNanos.getValueAtPercentile(50)),
                micros(latencyNanos.getValueAtPercentile(99)),
                micros(latencyNanos.getValueAtPercentile(99.9)),
                micros(latencyNanos.getMaxValue()),
                micros(sendLagNanos.getValueAtPercentile(99)));
    }

    private static double micros(long nanos) {
        return nanos / NANOS_PER_MICRO;
    }
}
