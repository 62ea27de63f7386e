/** Rank-based robustness checks for continuous metrics with heavy tails or outliers. */
package dev.modelgate.experiments.stats.rank;
