package dev.modelgate.gateway.drift;

import dev.modelgate.drift.evaluate.FeatureDrift;
import dev.modelgate.drift.rules.AlertState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus view of the monitor: {@code modelgate_drift_statistic{model,variant,feature,method}},
 * {@code modelgate_drift_firing{model,variant}} and {@code modelgate_drift_runs_total{model,variant,verdict}}.
 * A feature's method changes with the window size (KS ↔ Wasserstein), so its previous series is
 * removed rather than left frozen at a stale value.
 */
public final class DriftMetrics {

    private record Series(String model, String variant, String feature) {}

    private record StatisticGauge(String method, Gauge gauge, AtomicReference<Double> value) {}

    private final MeterRegistry registry;
    private final Map<Series, StatisticGauge> statistics = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> firing = new ConcurrentHashMap<>();

    public DriftMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(DriftRun run) {
        Counter.builder("modelgate.drift.runs")
                .description("Drift monitor runs by verdict (unknown: no data, too few values or ClickHouse unavailable)")
                .tags("model", run.model(), "variant", run.variant(), "verdict", run.verdictName())
                .register(registry)
                .increment();
        firing.computeIfAbsent(run.model() + '\u0000' + run.variant(), key -> {
            AtomicReference<Double> holder = new AtomicReference<>(0.0);
            Gauge.builder("modelgate.drift.firing", holder, AtomicReference::get)
                    .description("1 while a drift alert is firing for the model variant")
                    .tags("model", run.model(), "variant", run.variant())
                    .register(registry);
            return holder;
        }).set(run.alertState().state() == AlertState.FIRING ? 1.0 : 0.0);
        run.dataset().ifPresent(dataset -> dataset.features().forEach(feature -> statistic(run, feature)));
    }

    private void statistic(DriftRun run, FeatureDrift feature) {
        String method = feature.method().name().toLowerCase(Locale.ROOT);
        statistics.compute(new Series(run.model(), run.variant(), feature.feature()), (series, existing) -> {
            if (existing != null && existing.method().equals(method)) {
                existing.value().set(feature.statistic());
                return existing;
            }
            if (existing != null) {
                registry.remove(existing.gauge());
            }
            AtomicReference<Double> holder = new AtomicReference<>(feature.statistic());
            Gauge gauge = Gauge.builder("modelgate.drift.statistic", holder, AtomicReference::get)
                    .description("Latest drift statistic (p-value test statistic or distance) per feature")
                    .tags("model", series.model(), "variant", series.variant(), "feature", series.feature(), "method", method)
                    .register(registry);
            return new StatisticGauge(method, gauge, holder);
        });
    }
}
