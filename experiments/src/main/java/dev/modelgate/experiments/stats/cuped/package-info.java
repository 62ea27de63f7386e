/** CUPED variance reduction with a pre-experiment covariate (Deng, Xu, Kohavi, Walker, WSDM 2013). */
package dev.modelgate.experiments.stats.cuped;
