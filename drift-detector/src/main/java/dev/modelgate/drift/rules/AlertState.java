package dev.modelgate.drift.rules;

/** Alert lifecycle of one model/variant. */
public enum AlertState {
    /** No alert. */
    OK,
    /** Drift seen in fewer than the required consecutive windows. */
    PENDING,
    /** Alert raised; stays until enough consecutive clean windows. */
    FIRING
}
