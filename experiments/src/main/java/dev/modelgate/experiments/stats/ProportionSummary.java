package dev.modelgate.experiments.stats;

/** Sufficient statistics of a binary metric in one arm: {@code successes} out of {@code n} units. */
public record ProportionSummary(long n, long successes) implements SampleStatistics {

    public ProportionSummary {
        Validate.atLeast("n", n, 1);
        Validate.atLeast("successes", successes, 0);
        if (successes > n) {
            throw new IllegalArgumentException("successes must be <= n (" + n + "), was " + successes);
        }
    }

    /** The observed rate {@code successes / n}. */
    @Override
    public double mean() {
        return (double) successes / n;
    }

    /** Unpooled binomial variance of the rate, {@code p(1-p)/n}. */
    @Override
    public double varianceOfMean() {
        double p = mean();
        return p * (1.0 - p) / n;
    }

    public long failures() {
        return n - successes;
    }
}
