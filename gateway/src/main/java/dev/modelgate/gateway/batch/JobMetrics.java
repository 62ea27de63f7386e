package dev.modelgate.gateway.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code modelgate_job_rows_total{model,outcome}} (rows written: scored or failed),
 * {@code modelgate_jobs_finished_total{model,status}} and {@code modelgate_jobs_running}.
 */
public final class JobMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("modelgate_jobs_running", running);
    }

    void started() {
        running.incrementAndGet();
    }

    void finished(String model, JobState state) {
        running.decrementAndGet();
        Counter.builder("modelgate_jobs_finished_total").tag("model", model).tag("status", state.label()).register(registry).increment();
    }

    void rows(String model, long scored, long failed) {
        Counter.builder("modelgate_job_rows_total").tag("model", model).tag("outcome", "scored").register(registry).increment(scored);
        Counter.builder("modelgate_job_rows_total").tag("model", model).tag("outcome", "failed").register(registry).increment(failed);
    }
}
