package dev.modelgate.experiments.canary;

/** What a guardrail metric says about the candidate at the current evaluation. */
public enum GuardrailVerdict {
    /** No per-unit data could be read (e.g. the analytics store is down): the canary holds. */
    UNAVAILABLE,
    /** Read, but too few units (or no variation at all) for a test: no evidence of harm. */
    TOO_FEW_UNITS,
    /** Tested, and the candidate is not significantly worse. */
    NO_HARM_DETECTED,
    /** Tested, and the candidate is significantly worse in the metric's direction: the canary rolls back. */
    HARMFUL
}
