package dev.modelgate.gateway.analysis;

/**
 * Planned sample for a metric's minimum detectable effect at 80 % power, and how far the experiment is.
 *
 * @param requiredPerVariant        units each variant needs for the always-valid test the decisions read
 *                                  (its sequence is tuned to this sample)
 * @param fixedHorizonPerVariant    what a fixed-horizon test read once would need, for comparison (about half)
 * @param daysRemaining             until {@code requiredPerVariant}, at the current rate of new units; 0 when
 *                                  reached, infinite without traffic
 */
public record SamplePlan(long requiredPerVariant, long fixedHorizonPerVariant, double daysRemaining) {

    public boolean reached() {
        return daysRemaining == 0.0;
    }
}
