package dev.modelgate.experiments.spec;

/**
 * Limits a canary candidate must stay within to advance.
 *
 * @param maxErrorRateIncrease largest tolerated excess of the candidate's error rate over the baseline's,
 *                             in percentage points (0.5 = candidate may fail 0.5 % more of its requests)
 * @param maxP99LatencyRatio   largest tolerated candidate p99 / baseline p99, at least 1
 */
public record HealthGates(double maxErrorRateIncrease, double maxP99LatencyRatio) {

    public HealthGates {
        if (!(maxErrorRateIncrease >= 0.0 && maxErrorRateIncrease <= 100.0)) {
            throw new SpecValidationException("max_error_rate_increase",
                    "must be in [0, 100] percentage points, got " + maxErrorRateIncrease);
        }
        if (!(maxP99LatencyRatio >= 1.0 && Double.isFinite(maxP99LatencyRatio))) {
            throw new SpecValidationException("max_p99_latency_ratio",
                    "must be a finite ratio of at least 1, got " + maxP99LatencyRatio);
        }
    }
}
