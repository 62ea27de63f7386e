package dev.modelgate.experiments.stats.cuped;

import dev.modelgate.experiments.stats.MeanSummary;
import dev.modelgate.experiments.stats.Validate;

import java.util.List;

/**
 * A fitted CUPED adjustment {@code Y' = Y - θ (X - mean(X))}.
 *
 * <p>{@code θ = cov(Y, X) / var(X)} is estimated on all arms pooled: X is measured before assignment, so
 * it is independent of the variant and pooling gives one θ for every arm, which keeps the adjusted
 * difference unbiased. The adjusted arm variance is {@code var(Y) - 2θ cov(X, Y) + θ² var(X)}, i.e.
 * {@code var(Y)(1 - ρ²)} at the optimum; as usual in CUPED, θ and the pooled covariate mean are treated
 * as constants (their estimation error is O(1/n) and ignored). Feed the adjusted summaries to the
 * Welch test or to the confidence sequence.
 *
 * @param theta         regression coefficient of Y on X over all arms
 * @param covariateMean pooled mean of X the arms are centred on
 */
public record Cuped(double theta, double covariateMean) {

    public Cuped {
        Validate.finite("theta", theta);
        Validate.finite("covariateMean", covariateMean);
    }

    /** Fits θ on the pooled sums of all arms (control and every treatment). */
    public static Cuped fit(List<CovariateSums> arms) {
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("arms must not be empty");
        }
        CovariateSums pooled = arms.stream().reduce(CovariateSums::plus).orElseThrow();
        double varianceX = pooled.varianceX();
        if (varianceX == 0.0) {
            throw new IllegalArgumentException("covariate must vary across units, its variance is 0");
        }
        return new Cuped(pooled.covarianceXY() / varianceX, pooled.meanX());
    }

    /** The arm's CUPED-adjusted metric as a summary the fixed-horizon and sequential tests accept. */
    public MeanSummary adjust(CovariateSums arm) {
        double mean = arm.meanY() - theta * (arm.meanX() - covariateMean);
        double variance = arm.varianceY() - 2.0 * theta * arm.covarianceXY() + theta * theta * arm.varianceX();
        return new MeanSummary(arm.n(), mean, Math.max(0.0, variance));
    }
}
