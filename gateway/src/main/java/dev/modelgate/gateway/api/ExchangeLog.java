package dev.modelgate.gateway.api;

import dev.modelgate.gateway.control.LocalVariantStats;
import dev.modelgate.gateway.metrics.ExperimentMetrics;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.probing.InputObserver;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import java.util.function.Consumer;

/**
 * Where every finished exchange is accounted for, once: request metrics, experiment counters, this
 * replica's canary statistics, and the prediction event for ClickHouse.
 */
public final class ExchangeLog {

    private static final int MAX_OBSERVED = 64;

    private final GatewayMetrics metrics;
    private final ExperimentMetrics experiments;
    private final LocalVariantStats localStats;
    private final PredictionEventFactory events;
    private final Consumer<PredictionEvent> eventLog;
    private final InputObserver inputs;

    public ExchangeLog(GatewayMetrics metrics, ExperimentMetrics experiments, LocalVariantStats localStats,
                       PredictionEventFactory events, Consumer<PredictionEvent> eventLog) {
        this(metrics, experiments, localStats, events, eventLog, InputObserver.NONE);
    }

    /** @param inputs sees the first input row of every request served to an API key (the probing monitor) */
    public ExchangeLog(GatewayMetrics metrics, ExperimentMetrics experiments, LocalVariantStats localStats,
                       PredictionEventFactory events, Consumer<PredictionEvent> eventLog, InputObserver inputs) {
        this.metrics = metrics;
        this.experiments = experiments;
        this.localStats = localStats;
        this.events = events;
        this.eventLog = eventLog;
        this.inputs = inputs;
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
            if (exchange.status() == 200 && exchange.apiKey() != null && !exchange.apiKey().isEmpty() && !exchange.inputs().isEmpty()) {
                Tensor first = exchange.inputs().get(0);
                inputs.observe(exchange.apiKey(), exchange.model().name(), first.name(), firstRow(first));
            }
        }
        eventLog.accept(events.create(exchange));
    }

    /** An infer request answered before its model was known: a request metric only, there is no model to log it under. */
    public void unknownModel(String protocol, int status, long nanos) {
        metrics.recordRequest("_unknown", "", status, protocol, nanos);
    }

    /** The first row of a numeric input, at most {@link #MAX_OBSERVED} values: a bounded copy per request. */
    private static double[] firstRow(Tensor input) {
        if (input.datatype() == DataType.BYTES || input.rows() == 0) {
            return new double[0];
        }
        int width = (int) Math.min(MAX_OBSERVED, input.size() / input.rows());
        double[] row = new double[width];
        for (int i = 0; i < width; i++) {
            row[i] = input.getDouble(i);
        }
        return row;
    }

    ExperimentMetrics experiments() {
        return experiments;
    }
}
