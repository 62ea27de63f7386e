package dev.modelgate.experiments.stats;

import java.util.Optional;

/**
 * The two effect sizes reported for every metric, with the variances of their estimators. Arms are
 * independent, so variances of the two means add.
 */
public final class Differences {

    private Differences() {
    }

    /** {@code treatment - control}, variance {@code V_t + V_c}. */
    public static Estimate absolute(SampleStatistics control, SampleStatistics treatment) {
        return new Estimate(treatment.mean() - control.mean(),
                treatment.varianceOfMean() + control.varianceOfMean());
    }

    /**
     * Lift {@code treatment / control - 1} with its delta-method variance (first-order Taylor expansion
     * of the ratio, independent arms): {@code V_t / m_c^2 + m_t^2 V_c / m_c^4}.
     * Empty when the control mean is zero (e.g. no conversion yet): the lift is undefined, not an error.
     */
    public static Optional<Estimate> relative(SampleStatistics control, SampleStatistics treatment) {
        double mc = control.mean();
        if (mc == 0.0) {
            return Optional.empty();
        }
        double mt = treatment.mean();
        double mc2 = mc * mc;
        double variance = treatment.varianceOfMean() / mc2 + mt * mt * control.varianceOfMean() / (mc2 * mc2);
        return Optional.of(new Estimate(mt / mc - 1.0, variance));
    }
}
