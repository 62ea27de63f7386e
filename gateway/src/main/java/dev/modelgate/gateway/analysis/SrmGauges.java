package dev.modelgate.gateway.analysis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code modelgate_experiment_srm_alarm{experiment}} (1 while the sample ratio mismatch alarm fires) and
 * {@code modelgate_experiment_srm_pvalue{experiment}}, from the latest analysis on this replica.
 */
final class SrmGauges {

    private final MeterRegistry registry;
    private final Map<String, SrmCheck> latest = new ConcurrentHashMap<>();

    SrmGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void update(ExperimentResults results) {
        String experiment = results.experiment();
        if (latest.put(experiment, results.srm()) == null) {
            Gauge.builder("modelgate.experiment.srm.alarm", latest, l -> l.containsKey(experiment) && l.get(experiment).alarm() ? 1 : 0)
                    .description("1 while an experiment's sample ratio mismatch alarm fires (p < 0.001)")
                    .tag("experiment", experiment).register(registry);
            Gauge.builder("modelgate.experiment.srm.pvalue", latest, l -> l.containsKey(experiment) ? l.get(experiment).pValue() : Double.NaN)
                    .description("Chi-square p-value of an experiment's assigned units against its configured weights")
                    .tag("experiment", experiment).register(registry);
        }
    }

    /** An experiment that no longer exists reads 0 / NaN instead of its last alarm. */
    void forgetAllBut(Set<String> experiments) {
        latest.keySet().retainAll(experiments);
    }
}
