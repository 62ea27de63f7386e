package dev.modelgate.experiments.canary;

import dev.modelgate.experiments.spec.CanarySpec;
import java.time.Instant;

/**
 * Where a canary rollout currently is; the spec says where it may go. Kept apart from the spec so that
 * the controller can move it (and replicas can share it) without rewriting the user's definition.
 * Transitions are pure: each returns a new state or throws {@link IllegalStateException} when the
 * action makes no sense in the current status (the admin API answers 409).
 *
 * @param stepIndex     index in {@code spec.steps()} of the step the rollout is at, or was at when it was
 *                      promoted / rolled back
 * @param weightPercent candidate's current share of traffic
 * @param since         when this state was entered; the step's observation window starts here
 * @param status        rollout status
 */
public record CanaryState(int stepIndex, double weightPercent, Instant since, CanaryStatus status) {

    public CanaryState {
        if (stepIndex < 0) {
            throw new IllegalArgumentException("stepIndex must not be negative, got " + stepIndex);
        }
        if (!(weightPercent >= 0.0 && weightPercent <= 100.0)) {
            throw new IllegalArgumentException("weightPercent must be in [0, 100], got " + weightPercent);
        }
        if (since == null || status == null) {
            throw new IllegalArgumentException("since and status are required");
        }
    }

    /** A new rollout at the first step. */
    public static CanaryState start(CanarySpec spec, Instant now) {
        return new CanaryState(0, spec.steps().get(0), now, CanaryStatus.PROGRESSING);
    }

    public CanaryState pause(Instant now) {
        requireStatus(CanaryStatus.PROGRESSING, "pause");
        return new CanaryState(stepIndex, weightPercent, now, CanaryStatus.PAUSED);
    }

    /**
     * Back to PROGRESSING at the same step. The step's observation window restarts at {@code now}: what
     * was observed before the pause may no longer describe the candidate (it is often paused to be fixed).
     */
    public CanaryState resume(Instant now) {
        requireStatus(CanaryStatus.PAUSED, "resume");
        return new CanaryState(stepIndex, weightPercent, now, CanaryStatus.PROGRESSING);
    }

    public CanaryState promote(Instant now) {
        if (status != CanaryStatus.PROGRESSING && status != CanaryStatus.PAUSED) {
            throw new IllegalStateException("cannot promote a canary that is " + status
                    + "; promotion needs a PROGRESSING or PAUSED rollout");
        }
        return new CanaryState(stepIndex, 100.0, now, CanaryStatus.PROMOTED);
    }

    /** Allowed from every status but ROLLED_BACK, including after promotion, as the emergency exit. */
    public CanaryState rollback(Instant now) {
        if (status == CanaryStatus.ROLLED_BACK) {
            throw new IllegalStateException("canary is already ROLLED_BACK");
        }
        return new CanaryState(stepIndex, 0.0, now, CanaryStatus.ROLLED_BACK);
    }

    CanaryState advance(int nextStepIndex, double nextWeightPercent, Instant now) {
        requireStatus(CanaryStatus.PROGRESSING, "advance");
        return new CanaryState(nextStepIndex, nextWeightPercent, now, CanaryStatus.PROGRESSING);
    }

    private void requireStatus(CanaryStatus required, String action) {
        if (status != required) {
            throw new IllegalStateException("cannot " + action + " a canary that is " + status + "; it must be " + required);
        }
    }
}
