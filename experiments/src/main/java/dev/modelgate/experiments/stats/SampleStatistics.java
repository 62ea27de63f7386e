package dev.modelgate.experiments.stats;

/**
 * What every comparison needs from one arm: its size, the mean of the metric and the variance of that
 * mean. Proportions, plain means and CUPED-adjusted means all reduce to this.
 */
public interface SampleStatistics {

    long n();

    double mean();

    /** Variance of the estimator {@link #mean()}, i.e. the squared standard error. */
    double varianceOfMean();
}
