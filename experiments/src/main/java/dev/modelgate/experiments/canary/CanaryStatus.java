package dev.modelgate.experiments.canary;

/** Where a canary rollout stands. PROMOTED and ROLLED_BACK are final for automatic decisions. */
public enum CanaryStatus {
    /** The controller evaluates the gates and moves the weight. */
    PROGRESSING,
    /** Frozen at its current weight by an operator; the controller only holds. */
    PAUSED,
    /** The candidate serves 100 %. */
    PROMOTED,
    /** The candidate serves 0 %. */
    ROLLED_BACK;

    /** The rollout is over, whichever way it went: nothing moves it any more but an operator's rollback. */
    public boolean finished() {
        return this == PROMOTED || this == ROLLED_BACK;
    }
}
