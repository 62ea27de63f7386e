package dev.modelgate.experiments.canary;

/** What the canary controller should do now. */
public enum CanaryAction {
    /** Move the candidate to the next step's weight. */
    ADVANCE,
    /** Stay at the current weight (not enough data yet, or not running). */
    HOLD,
    /** Send the candidate to 0 %. */
    ROLLBACK,
    /** Healthy at the last step below 100 %: give the candidate all traffic and finish. */
    PROMOTE
}
