package dev.modelgate.gateway.quality;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.drift.DriftWindow;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.statistics.quality.MeanLoss;
import dev.modelgate.statistics.quality.RegressionSums;
import dev.modelgate.statistics.quality.ScoreCell;
import dev.modelgate.statistics.quality.ScoreCount;
import dev.modelgate.statistics.quality.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs a target's window queries and evaluates what ClickHouse returns. Blocking: call it off the event loop. */
final class QualityReader {

    private final ClickHouseConnection clickHouse;
    private final QualityQueries queries;
    private final int bootstrapReplicates;

    QualityReader(ClickHouseConnection clickHouse, QualityQueries queries, int bootstrapReplicates) {
        this.clickHouse = clickHouse;
        this.queries = queries;
        this.bootstrapReplicates = bootstrapReplicates;
    }

    /** The realised metrics of the window's labelled predictions. */
    MetricSet realised(QualityTarget target, DriftWindow window) throws ClickHouseCallException {
        QualityEvaluator evaluator = new QualityEvaluator(target.spec(), bootstrapReplicates);
        return switch (target.spec().task()) {
            case BINARY_CLASSIFICATION -> {
                List<ScoreCell> cells = new ArrayList<>();
                for (JsonNode row : clickHouse.query(queries.scoreCells(target, window))) {
                    cells.add(new ScoreCell(row.get("s").asDouble(), row.get("pos").asLong(), row.get("neg").asLong()));
                }
                yield evaluator.binary(cells);
            }
            case MULTICLASS -> {
                int k = target.spec().classes();
                long[][] confusion = new long[k][k];
                MeanLoss logLoss = new MeanLoss(0, 0, 0);
                for (JsonNode row : clickHouse.query(queries.confusion(target, window))) {
                    long c = row.get("c").asLong();
                    confusion[row.get("t").asInt()][row.get("k").asInt()] += c;
                    logLoss = new MeanLoss(logLoss.n() + c, logLoss.sum() + row.get("ll_sum").asDouble(),
                            logLoss.sumOfSquares() + row.get("ll_squares").asDouble());
                }
                yield evaluator.multiclass(confusion, logLoss);
            }
            case REGRESSION -> {
                JsonNode r = clickHouse.query(queries.regressionSums(target, window)).get(0);
                yield evaluator.regression(new RegressionSums(r.get("n").asLong(), r.get("ae").asDouble(), r.get("se").asDouble(),
                        r.get("se2").asDouble(), r.get("pe1").asDouble(), r.get("pe2").asDouble(), r.get("y1").asDouble(),
                        r.get("y2").asDouble(), r.get("y3").asDouble(), r.get("y4").asDouble(), r.get("sey").asDouble(),
                        r.get("sey2").asDouble()));
            }
        };
    }

    /** CBPE on every prediction of the window; empty for tasks it does not apply to. */
    Optional<MetricSet> estimated(QualityTarget target, DriftWindow window) throws ClickHouseCallException {
        if (target.spec().task() != Task.BINARY_CLASSIFICATION) {
            return Optional.empty();
        }
        List<ScoreCount> counts = new ArrayList<>();
        for (JsonNode row : clickHouse.query(queries.scoreCounts(target, window))) {
            counts.add(new ScoreCount(row.get("s").asDouble(), row.get("c").asLong()));
        }
        return Optional.of(new QualityEvaluator(target.spec(), bootstrapReplicates).estimate(counts));
    }
}
