package dev.modelgate.experiments.stats.rank;

import dev.modelgate.experiments.stats.Validate;

/**
 * @param u                        Mann-Whitney U of the treatment sample: pairs where treatment beats
 *                                 control, ties counting one half (SciPy's {@code U1} for {@code x=treatment})
 * @param pValue                   two-sided asymptotic p-value with tie and continuity corrections
 * @param probabilityOfSuperiority {@code U / (n_t n_c)}, the chance a random treatment unit beats a random
 *                                 control unit (0.5 = no difference); the effect size to report with U
 */
public record MannWhitneyResult(double u, double pValue, double probabilityOfSuperiority) {

    public MannWhitneyResult {
        Validate.nonNegative("u", u);
        Validate.nonNegative("pValue", pValue);
        Validate.nonNegative("probabilityOfSuperiority", probabilityOfSuperiority);
    }
}
