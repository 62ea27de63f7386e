package dev.modelgate.gateway.analysis;

import dev.modelgate.experiments.stats.fixed.FixedHorizonResult;
import dev.modelgate.experiments.stats.sequential.SequentialResult;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One treatment against the control on one metric.
 *
 * @param fixed                 fixed-horizon test (z-test for binary, Welch for continuous) with its
 *                              absolute and relative confidence intervals
 * @param pValueHolm            {@code fixed.pValue()} Holm-adjusted across every variant × metric of the run
 * @param sequential            always-valid p-value and confidence sequences, safe to read at any time
 * @param pValueSequentialHolm  {@code sequential.pValue()} Holm-adjusted the same way; what decisions read
 * @param chanceToBeat          posterior probability that the treatment is better than the control in the metric's
 *                              direction ({@code P(p_t > p_c)}, or {@code P(p_t < p_c)} when lower is better); binary metrics only
 */
public record Comparison(FixedHorizonResult fixed, double pValueHolm, SequentialResult sequential,
                         double pValueSequentialHolm, OptionalDouble chanceToBeat) {

    public Comparison {
        Objects.requireNonNull(fixed, "fixed");
        Objects.requireNonNull(sequential, "sequential");
        Objects.requireNonNull(chanceToBeat, "chanceToBeat");
    }
}
