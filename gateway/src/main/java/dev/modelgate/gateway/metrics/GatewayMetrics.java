package dev.modelgate.gateway.metrics;

import dev.modelgate.inference.batching.BatchStats;
import dev.modelgate.inference.batching.BatchingListener;
import dev.modelgate.inference.resilience.ResiliencePolicies;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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
import java.util.function.IntSupplier;

/**
 * The gateway's Prometheus metrics. Latency histograms use fixed buckets chosen for SLOs (1 ms to
 * 10 s) rather than Micrometer's ~70 default buckets, which would multiply series per model and variant.
 * Timers are cached per tag set because building one on every request costs a registry lookup.
 */
public final class GatewayMetrics implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayMetrics.class);

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    /** The gateway's own time around a backend call: tens of µs to a few ms. */
    private static final Duration[] OVERHEAD_BUCKETS = {
        Duration.ofNanos(25_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
        Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(100)
    };

    private record VariantKey(String model, String variant) {}

    private record RequestKey(String model, String variant, int status, String protocol) {}

    private record BackendKey(String model, String variant, String outcome) {}

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ConcurrentMap<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<BackendKey, Timer> backendTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<VariantKey, Timer> overheadTimers = new ConcurrentHashMap<>();

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

    /**
     * One answered infer request, whatever its status ({@code modelgate_requests_seconds}); {@code status}
     * is the HTTP status, or for gRPC the HTTP status its gRPC status stands for, and {@code protocol}
     * rest or grpc.
     */
    public void recordRequest(String model, String variant, int status, String protocol, long nanos) {
        requestTimers.computeIfAbsent(new RequestKey(model, variant, status, protocol), key -> Timer.builder("modelgate.requests")
                        .description("Infer requests by model, served variant, HTTP status and protocol")
                        .tag("model", key.model())
                        .tag("variant", key.variant())
                        .tag("status", Integer.toString(key.status()))
                        .tag("protocol", key.protocol())
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The gateway's own part of an answered request ({@code modelgate_overhead_seconds}): its time from
     * arrival to the answer, minus the time in backends; what a caller pays for going through the gateway.
     */
    public void recordOverhead(String model, String variant, long nanos) {
        overheadTimers.computeIfAbsent(new VariantKey(model, variant), key -> Timer.builder("modelgate.overhead")
                        .description("Request time minus backend time, by model and served variant")
                        .tag("model", key.model())
                        .tag("variant", key.variant())
                        .serviceLevelObjectives(OVERHEAD_BUCKETS)
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

    /**
     * Binds a variant's dynamic batcher: {@code modelgate_batch_rows} (rows per batch),
     * {@code modelgate_batch_queue_seconds}, {@code modelgate_batch_execution_seconds},
     * {@code modelgate_batch_rejected_total}.
     */
    public BatchingListener batching(String model, String variant) {
        Tags tags = Tags.of("model", model, "variant", variant);
        DistributionSummary rows = DistributionSummary.builder("modelgate.batch.rows")
                .description("Rows per executed batch").tags(tags)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        Timer queue = Timer.builder("modelgate.batch.queue").description("Time requests waited for their batch").tags(tags)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        Timer execution = Timer.builder("modelgate.batch.execution").description("Time a batch took to run").tags(tags)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        Counter rejected = Counter.builder("modelgate.batch.rejected").description("Requests refused because the batch queue was full")
                .tags(tags).register(registry);
        return new BatchingListener() {
            @Override
            public void batchCompleted(BatchStats stats) {
                rows.record(stats.rows());
                queue.record(stats.queueNanos(), TimeUnit.NANOSECONDS);
                execution.record(stats.executionNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void requestRejected() {
                rejected.increment();
            }
        };
    }

    /**
     * Circuit breakers on {@code /metrics} ({@code resilience4j_circuitbreaker_state{name,state}} and
     * friends), and every state transition logged and counted ({@code modelgate_breaker_transitions_total}).
     */
    public void bindBreakers(ResiliencePolicies policies) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(policies.circuitBreakerRegistry()).bindTo(registry);
        policies.onTransition(transition -> {
            LOG.warn("circuit breaker {}: {} -> {}", transition.name(), transition.from(), transition.to());
            Counter.builder("modelgate.breaker.transitions").description("Circuit breaker state transitions")
                    .tag("name", transition.name()).tag("from", transition.from().name()).tag("to", transition.to().name())
                    .register(registry).increment();
        });
    }

    /** Client connections open now, over every listener ({@code modelgate_http_connections_open}). */
    public void bindConnections(IntSupplier open) {
        Gauge.builder("modelgate.http.connections.open", open::getAsInt).description("Open client connections")
                .register(registry);
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
