/**
 * Experiment statistics: numbers in, immutable results out.
 *
 * <p>Inputs are sufficient statistics ({@link dev.modelgate.experiments.stats.ProportionSummary},
 * {@link dev.modelgate.experiments.stats.MeanSummary}) so that the gateway can aggregate them in SQL.
 * Every estimator compares a <em>treatment</em> arm with a <em>control</em> arm; differences are always
 * {@code treatment - control} and lifts {@code treatment / control - 1}.
 *
 * <p>Sub-packages, one per concept: {@code fixed} (fixed-horizon z and Welch tests), {@code rank}
 * (Mann-Whitney robustness check), {@code bayes} (beta-binomial chance to beat control),
 * {@code sequential} (always-valid confidence sequences), {@code srm} (sample ratio mismatch),
 * {@code cuped} (variance reduction), {@code multiplicity} (Holm, Benjamini-Hochberg), {@code power}
 * (sample size, time remaining) and {@code decision} (ship / keep running / stop / inconclusive).
 */
package dev.modelgate.experiments.stats;
