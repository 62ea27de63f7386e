package dev.modelgate.gateway.analysis;

import dev.modelgate.experiments.spec.ExperimentKind;
import dev.modelgate.gateway.state.StoredExperiment;
import dev.modelgate.gateway.telemetry.ExperimentResultRow;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic analysis, on the leader only: every running A/B test and canary is analysed and its
 * results appended to {@code experiment_results} (the dashboards' history) and published as SRM gauges.
 * A run that is still going when the next one is due is not overlapped.
 */
final class AnalysisJob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalysisJob.class);

    private final Vertx vertx;
    private final ResultsService results;
    private final Consumer<ExperimentResultRow> rows;
    private final BooleanSupplier isLeader;
    private final String instanceId;
    private final AtomicBoolean running = new AtomicBoolean();
    private final long timer;

    AnalysisJob(Vertx vertx, ResultsService results, Consumer<ExperimentResultRow> rows, BooleanSupplier isLeader,
                Duration interval, String instanceId) {
        this.vertx = vertx;
        this.results = results;
        this.rows = rows;
        this.isLeader = isLeader;
        this.instanceId = instanceId;
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
    }

    private void tick() {
        if (!isLeader.getAsBoolean() || !running.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(() -> {
            runOnce();
            return null;
        }, false).onComplete(ar -> {
            running.set(false);
            if (ar.failed()) {
                LOG.error("experiment analysis failed", ar.cause());
            }
        });
    }

    /** One pass over every running A/B test and canary. Blocking: runs on a worker. */
    void runOnce() {
        results.forgetDeleted();
        for (StoredExperiment experiment : results.experiments()) {
            if (experiment.spec().kind() == ExperimentKind.SHADOW || !experiment.spec().meta().isRunning()) {
                continue;
            }
            try {
                ResultRows.of(results.compute(experiment), instanceId).forEach(rows);
            } catch (AnalysisUnavailableException e) {
                LOG.warn("experiment '{}' not analysed: {}", experiment.name(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
