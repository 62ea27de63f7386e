/** Sample ratio mismatch: is assignment delivering the configured split? If not, no metric can be trusted. */
package dev.modelgate.experiments.stats.srm;
