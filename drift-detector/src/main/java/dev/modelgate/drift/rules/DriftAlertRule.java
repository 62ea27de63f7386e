package dev.modelgate.drift.rules;

import java.util.List;

/**
 * Turns a sequence of window verdicts into alert events with hysteresis: fire after
 * {@code fireAfter} consecutive drifted windows, resolve after {@code resolveAfter} consecutive clean
 * ones. Windows without enough data are UNKNOWN; they neither fire, resolve nor break a streak, so a
 * monitoring outage cannot silently clear an alert. One instance per model/variant, kept by the
 * caller; no I/O, no clock, not thread-safe.
 */
public final class DriftAlertRule {

    private final RuleSettings settings;
    private RuleState current;

    public DriftAlertRule(RuleSettings settings) {
        this(settings, RuleState.INITIAL);
    }

    public DriftAlertRule(RuleSettings settings, RuleState restored) {
        this.settings = settings;
        this.current = restored;
    }

    /**
     * A rule that has seen {@code verdicts}, oldest first, as a monitor stored them: lets a replica that
     * takes over (or restarts) continue the streaks instead of re-firing a firing alert or forgetting a
     * pending one. Stored verdicts already passed the minimum-sample check; UNKNOWN ones are skipped.
     */
    public static DriftAlertRule replaying(RuleSettings settings, List<WindowVerdict> verdicts) {
        DriftAlertRule rule = new DriftAlertRule(settings);
        for (WindowVerdict verdict : verdicts) {
            if (verdict != WindowVerdict.UNKNOWN) {
                rule.observe(Long.MAX_VALUE, verdict == WindowVerdict.DRIFT);
            }
        }
        return rule;
    }

    /**
     * @param sampleSize current values behind the window's verdict (for a dataset: the fewest of any feature)
     * @param drifted the window's drift verdict, ignored when the sample is too small
     */
    public RuleOutcome observe(long sampleSize, boolean drifted) {
        if (sampleSize < settings.minimumSampleSize()) {
            return observeUnknown();
        }
        return drifted ? onDrift() : onClean();
    }

    /** A window that could not be judged: no data, or the store behind it was unavailable. */
    public RuleOutcome observeUnknown() {
        return new RuleOutcome(WindowVerdict.UNKNOWN, current, AlertTransition.NONE);
    }

    public RuleState state() {
        return current;
    }

    private RuleOutcome onDrift() {
        int streak = current.driftStreak() + 1;
        AlertTransition transition = AlertTransition.NONE;
        AlertState next;
        if (current.state() == AlertState.FIRING) {
            next = AlertState.FIRING;
        } else if (streak >= settings.fireAfter()) {
            next = AlertState.FIRING;
            transition = AlertTransition.FIRED;
        } else {
            next = AlertState.PENDING;
        }
        current = new RuleState(next, streak, 0);
        return new RuleOutcome(WindowVerdict.DRIFT, current, transition);
    }

    private RuleOutcome onClean() {
        int streak = current.cleanStreak() + 1;
        AlertTransition transition = AlertTransition.NONE;
        AlertState next;
        if (current.state() != AlertState.FIRING) {
            next = AlertState.OK;
        } else if (streak >= settings.resolveAfter()) {
            next = AlertState.OK;
            transition = AlertTransition.RESOLVED;
        } else {
            next = AlertState.FIRING;
        }
        current = new RuleState(next, 0, streak);
        return new RuleOutcome(WindowVerdict.NO_DRIFT, current, transition);
    }
}
