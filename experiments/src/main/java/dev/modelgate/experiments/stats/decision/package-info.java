/** Turning statistics into a recommendation an experimenter can act on, with the reasons behind it. */
package dev.modelgate.experiments.stats.decision;
