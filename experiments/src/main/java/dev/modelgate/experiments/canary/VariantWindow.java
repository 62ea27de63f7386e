package dev.modelgate.experiments.canary;

/**
 * What one variant did during the current step's observation window.
 *
 * @param requests     requests served
 * @param errors       of which failed
 * @param p99LatencyMs 99th percentile latency in milliseconds; NaN allowed only when there were no requests
 */
public record VariantWindow(long requests, long errors, double p99LatencyMs) {

    public VariantWindow {
        if (requests < 0 || errors < 0 || errors > requests) {
            throw new IllegalArgumentException("need 0 <= errors <= requests, got errors=" + errors + ", requests=" + requests);
        }
        boolean unknownLatency = Double.isNaN(p99LatencyMs) && requests == 0;
        if (!unknownLatency && !(p99LatencyMs >= 0.0 && Double.isFinite(p99LatencyMs))) {
            throw new IllegalArgumentException("p99LatencyMs must be a finite non-negative number, got " + p99LatencyMs);
        }
    }

    /** Error rate in percent; NaN without requests. */
    public double errorPercent() {
        return requests == 0 ? Double.NaN : 100.0 * errors / requests;
    }
}
