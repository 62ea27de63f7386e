package dev.modelgate.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Prometheus metrics. Latency histograms use fixed buckets chosen for SLOs (1 ms to
 * 10 s) rather than Micrometer's ~70 default buckets, which would multiply series per model and variant.
 * Timers are cached per tag set because building one on every request costs a registry lookup.
 */
public final class GatewayMetrics implements AutoCloseable {

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private record RequestKey(String model, String variant, int status) {}

    private record BackendKey(String model, String variant, String outcome) {}

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ConcurrentMap<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<BackendKey, Timer> backendTimers = new ConcurrentHashMap<>();

    public GatewayMetrics(String instanceId) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("instance_id", instanceId);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** One answered infer request, whatever its status ({@code modelgate_requests_seconds}). */
    public void recordRequest(String model, String variant, int status, long nanos) {
        requestTimers.computeIfAbsent(new RequestKey(model, variant, status), key -> Timer.builder("modelgate.requests")
                        .description("Infer requests by model, served variant and HTTP status")
                        .tag("model", key.model())
                        .tag("variant", key.variant())
                        .tag("status", Integer.toString(key.status()))
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time spent in a backend ({@code modelgate_backend_seconds}); outcome is ok, error or timeout. */
    public void recordBackend(String model, String variant, String outcome, long nanos) {
        backendTimers.computeIfAbsent(new BackendKey(model, variant, outcome), key -> Timer.builder("modelgate.backend")
                        .description("Backend inference latency by model, variant and outcome")
                        .tag("model", key.model())
                        .tag("variant", key.variant())
                        .tag("outcome", key.outcome())
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
