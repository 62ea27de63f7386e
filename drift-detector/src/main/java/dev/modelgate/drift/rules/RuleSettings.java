package dev.modelgate.drift.rules;

/**
 * @param minimumSampleSize windows with fewer current values are UNKNOWN, never "no drift"
 * @param fireAfter consecutive drifted windows needed to fire
 * @param resolveAfter consecutive clean windows needed to resolve a firing alert
 */
public record RuleSettings(long minimumSampleSize, int fireAfter, int resolveAfter) {

    public RuleSettings {
        if (minimumSampleSize < 1) {
            throw new IllegalArgumentException("minimumSampleSize must be >= 1, was " + minimumSampleSize);
        }
        if (fireAfter < 1) {
            throw new IllegalArgumentException("fireAfter must be >= 1, was " + fireAfter);
        }
        if (resolveAfter < 1) {
            throw new IllegalArgumentException("resolveAfter must be >= 1, was " + resolveAfter);
        }
    }
}
