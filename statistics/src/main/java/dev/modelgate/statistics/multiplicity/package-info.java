/** Adjusting p-values when many hypotheses are tested at once: variants × metrics of an experiment, features of a drift check. */
package dev.modelgate.statistics.multiplicity;
