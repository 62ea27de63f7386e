package dev.modelgate.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Experiment traffic on {@code /metrics}: requests per experiment and variant, and shadow copies by outcome. */
public final class ExperimentMetrics {

    private record Key(String experiment, String variant, String outcome) {}

    private final MeterRegistry registry;
    private final ConcurrentMap<Key, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, Counter> shadows = new ConcurrentHashMap<>();

    public ExperimentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code modelgate_experiment_requests_total{experiment, variant, served}}: variant is the assigned one. */
    public void request(String experiment, String assigned, String served) {
        requests.computeIfAbsent(new Key(experiment, assigned, served), key -> Counter.builder("modelgate.experiment.requests")
                .description("Requests routed by an experiment, by assigned and served variant")
                .tag("experiment", key.experiment()).tag("variant", key.variant()).tag("served", key.outcome())
                .register(registry)).increment();
    }

    /** {@code modelgate_shadow_requests_total{experiment, variant, outcome=sent|dropped|failed}}. */
    public void shadow(String experiment, String variant, String outcome) {
        shadows.computeIfAbsent(new Key(experiment, variant, outcome), key -> Counter.builder("modelgate.shadow.requests")
                .description("Shadow copies: sent, dropped by the budget, or failed")
                .tag("experiment", key.experiment()).tag("variant", key.variant()).tag("outcome", key.outcome())
                .register(registry)).increment();
    }
}
