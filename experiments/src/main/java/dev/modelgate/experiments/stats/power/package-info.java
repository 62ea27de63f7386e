/** Planning: how many units an experiment needs and how long that will take at current traffic. */
package dev.modelgate.experiments.stats.power;
