package dev.modelgate.drift.rules;

/**
 * Everything a {@link DriftAlertRule} remembers, so a caller can persist it (e.g. when another replica
 * takes over the drift monitor) and restore it.
 *
 * @param driftStreak consecutive drifted windows (UNKNOWN windows skipped)
 * @param cleanStreak consecutive clean windows (UNKNOWN windows skipped)
 */
public record RuleState(AlertState state, int driftStreak, int cleanStreak) {

    public static final RuleState INITIAL = new RuleState(AlertState.OK, 0, 0);

    public RuleState {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        if (driftStreak < 0 || cleanStreak < 0) {
            throw new IllegalArgumentException("streaks must be >= 0, were " + driftStreak + " and " + cleanStreak);
        }
        if (driftStreak > 0 && cleanStreak > 0) {
            throw new IllegalArgumentException("driftStreak and cleanStreak cannot both be positive");
        }
    }
}
