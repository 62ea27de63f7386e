package dev.modelgate.gateway.api;

import dev.modelgate.gateway.control.LocalVariantStats;
import dev.modelgate.gateway.metrics.ExperimentMetrics;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import java.util.function.Consumer;

/**
 * Where every finished exchange is accounted for, once: request metrics, experiment counters, this
 * replica's canary statistics, and the prediction event for ClickHouse.
 */
public final class ExchangeLog {

    private final GatewayMetrics metrics;
    private final ExperimentMetrics experiments;
    private final LocalVariantStats localStats;
    private final PredictionEventFactory events;
    private final Consumer<PredictionEvent> eventLog;

    public ExchangeLog(GatewayMetrics metrics, ExperimentMetrics experiments, LocalVariantStats localStats,
                       PredictionEventFactory events, Consumer<PredictionEvent> eventLog) {
        this.metrics = metrics;
        this.experiments = experiments;
        this.localStats = localStats;
        this.events = events;
        this.eventLog = eventLog;
    }

    public void record(InferenceExchange exchange) {
        if (PredictionEvent.ROLE_PRIMARY.equals(exchange.role())) {
            metrics.recordRequest(exchange.model().name(), exchange.servedVariant(), exchange.status(), exchange.protocol(),
                    exchange.totalNanos());
            if (exchange.backendNanos() > 0) {
                metrics.recordOverhead(exchange.model().name(), exchange.servedVariant(),
                        exchange.totalNanos() - exchange.backendNanos());
            }
            if (!exchange.experiment().isEmpty()) {
                experiments.request(exchange.experiment(), exchange.assignedVariant(), exchange.servedVariant());
                // the assigned variant is judged: a candidate rescued by a fallback still failed
                boolean failed = exchange.status() >= 500 || !exchange.assignedVariant().equals(exchange.servedVariant());
                localStats.record(exchange.experiment(), exchange.assignedVariant(), failed, exchange.totalNanos(),
                        exchange.arrivalMillis());
            }
        }
        eventLog.accept(events.create(exchange));
    }

    /** An infer request answered before its model was known: a request metric only, there is no model to log it under. */
    public void unknownModel(String protocol, int status, long nanos) {
        metrics.recordRequest("_unknown", "", status, protocol, nanos);
    }

    ExperimentMetrics experiments() {
        return experiments;
    }
}
