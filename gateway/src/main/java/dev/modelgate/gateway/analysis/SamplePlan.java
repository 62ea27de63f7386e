package dev.modelgate.gateway.analysis;

/**
 * Planned sample for a metric's minimum detectable effect at 80 % power, and how far the experiment is.
 *
 * @param requiredPerVariant units each variant needs
 * @param daysRemaining      at the current rate of new units; 0 when reached, infinite without traffic
 */
public record SamplePlan(long requiredPerVariant, double daysRemaining) {

    public boolean reached() {
        return daysRemaining == 0.0;
    }
}
