package dev.modelgate.gateway.quality;

import dev.modelgate.drift.rules.AlertState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Prometheus view of the quality monitor:
 * {@code modelgate_quality_metric{model,variant,metric,kind}} (kind realised, estimated or
 * estimated_current), {@code modelgate_quality_metric_lower/_upper} (its interval),
 * {@code modelgate_quality_baseline{model,variant,metric}}, {@code modelgate_quality_labelled_rows{model,variant}},
 * {@code modelgate_quality_firing{model,variant}} and {@code modelgate_quality_runs_total{model,variant,verdict}}.
 * A metric a window could not compute reads NaN rather than its stale value.
 */
final class QualityGauges implements Consumer<QualityRun> {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    QualityGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(QualityRun run) {
        Counter.builder("modelgate.quality.runs")
                .description("Quality monitor runs by verdict (unknown: no baseline, too few labels or ClickHouse unavailable)")
                .tags("model", run.model(), "variant", run.variant(), "verdict", run.judgement().verdictName())
                .register(registry)
                .increment();
        set("modelgate.quality.firing", "1 while a quality alert is firing for the model variant", run,
                run.alertState().state() == AlertState.FIRING ? 1.0 : 0.0);
        set("modelgate.quality.labelled.rows", "Labelled predictions in the latest labelled window", run, run.realised().n());
        metrics(run, QualityReports.REALISED, Optional.of(run.realised()));
        metrics(run, QualityReports.ESTIMATED, run.estimated());
        metrics(run, QualityReports.ESTIMATED_CURRENT, run.estimatedCurrent());
        run.baseline().ifPresent(b -> b.metrics().metrics().forEach((metric, e) ->
                set("modelgate.quality.baseline", "The baseline's value of each metric", run, e.value(), "metric", metric)));
    }

    private void metrics(QualityRun run, String kind, Optional<MetricSet> set) {
        set.ifPresent(s -> s.metrics().forEach((metric, e) -> {
            set("modelgate.quality.metric", "Latest value of each quality metric", run, e.value(), "metric", metric, "kind", kind);
            set("modelgate.quality.metric.lower", "Lower end of the metric's 95% interval", run, e.lower(), "metric", metric, "kind", kind);
            set("modelgate.quality.metric.upper", "Upper end of the metric's 95% interval", run, e.upper(), "metric", metric, "kind", kind);
        }));
    }

    private void set(String name, String description, QualityRun run, double value, String... tags) {
        String key = name + '\u0000' + run.model() + '\u0000' + run.variant() + '\u0000' + String.join("\u0000", tags);
        values.computeIfAbsent(key, k -> {
            AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, holder, AtomicReference::get)
                    .description(description)
                    .tags("model", run.model(), "variant", run.variant())
                    .tags(tags)
                    .register(registry);
            return holder;
        }).set(value);
    }
}
