package dev.modelgate.experiments.canary;

import java.time.Duration;

/**
 * The numbers a canary decision was based on, for the decision log and the admin API.
 *
 * @param baseline           baseline window
 * @param candidate          candidate window
 * @param timeInStep         time since the step's window started
 * @param minStepDuration    required time in step
 * @param minRequestsPerStep required requests per variant
 * @param errorRate          the error-rate gate
 * @param latency            the latency gate
 */
public record CanaryEvidence(VariantWindow baseline, VariantWindow candidate, Duration timeInStep, Duration minStepDuration,
                             long minRequestsPerStep, ErrorRateCheck errorRate, LatencyCheck latency) {

    public boolean enoughTime() {
        return timeInStep.compareTo(minStepDuration) >= 0;
    }

    public boolean enoughRequests() {
        return baseline.requests() >= minRequestsPerStep && candidate.requests() >= minRequestsPerStep;
    }
}
