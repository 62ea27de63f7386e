/**
 * Fixed-horizon tests: valid when the data are looked at once, at a sample size chosen in advance.
 * Use {@code sequential} when results are read while the experiment runs.
 */
package dev.modelgate.experiments.stats.fixed;
