package dev.modelgate.experiments.stats.decision;

/** Which way a metric should move for the treatment to count as better. */
public enum Direction {
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER;

    /** True when a difference {@code treatment - control} of this sign is an improvement. */
    public boolean improves(double difference) {
        return this == HIGHER_IS_BETTER ? difference > 0.0 : difference < 0.0;
    }

    /** True when a difference {@code treatment - control} of this sign is a harm. */
    public boolean harms(double difference) {
        return improves(-difference);
    }
}
