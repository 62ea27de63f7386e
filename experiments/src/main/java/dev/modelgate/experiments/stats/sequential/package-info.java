/** Always-valid inference: results that may be read at any time, as often as wanted. */
package dev.modelgate.experiments.stats.sequential;
