/** Bayesian reading of binary metrics: chance to beat control and expected loss. */
package dev.modelgate.experiments.stats.bayes;
