/** Adjusting p-values when many variants × metrics are tested at once. */
package dev.modelgate.experiments.stats.multiplicity;
