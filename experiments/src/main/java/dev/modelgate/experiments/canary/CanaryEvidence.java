package dev.modelgate.experiments.canary;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
 * @param guardrails         the guardrail-metric gate, one check per guardrail metric of the spec, in its order
 */
public record CanaryEvidence(VariantWindow baseline, VariantWindow candidate, Duration timeInStep, Duration minStepDuration,
                             long minRequestsPerStep, ErrorRateCheck errorRate, LatencyCheck latency,
                             List<GuardrailCheck> guardrails) {

    public CanaryEvidence {
        guardrails = List.copyOf(guardrails);
    }

    public boolean enoughTime() {
        return timeInStep.compareTo(minStepDuration) >= 0;
    }

    public boolean enoughRequests() {
        return baseline.requests() >= minRequestsPerStep && candidate.requests() >= minRequestsPerStep;
    }

    /** The first guardrail on which the candidate is significantly worse, if any. */
    public Optional<GuardrailCheck> harmedGuardrail() {
        return guardrails.stream().filter(g -> g.verdict() == GuardrailVerdict.HARMFUL).findFirst();
    }

    /** Names of the guardrails that could not be read. */
    public List<String> unavailableGuardrails() {
        return guardrails.stream().filter(g -> g.verdict() == GuardrailVerdict.UNAVAILABLE).map(g -> g.metric().name()).toList();
    }
}
