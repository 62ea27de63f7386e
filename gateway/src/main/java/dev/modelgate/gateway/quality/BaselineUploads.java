package dev.modelgate.gateway.quality;

import dev.modelgate.gateway.config.QualitySpec;
import dev.modelgate.gateway.drift.DriftWindow;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.statistics.quality.MeanLoss;
import dev.modelgate.statistics.quality.RegressionSums;
import dev.modelgate.statistics.quality.ScoreCell;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes baselines from a {@code PUT .../quality/baseline} body: either a reference period of each
 * variant's own labelled traffic, {@code {"from": ISO instant, "to": ISO instant}}, evaluated by the
 * same queries as a window; or a labelled reference set, {@code {"rows": [...]}}, evaluated by the
 * same library — binary {@code {"score": 0.8, "label": 1}}, multiclass
 * {@code {"probabilities": [0.1, 0.7, 0.2], "label": 1}}, regression {@code {"prediction": 3.2, "label": 3.0}}.
 * Invalid input throws {@link IllegalArgumentException} naming the row; blocking (ClickHouse).
 */
final class BaselineUploads {

    private final QualityReader reader;
    private final BaselineStore store;
    private final int bootstrapReplicates;
    private final Clock clock;

    BaselineUploads(QualityReader reader, BaselineStore store, int bootstrapReplicates, Clock clock) {
        this.reader = reader;
        this.store = store;
        this.bootstrapReplicates = bootstrapReplicates;
        this.clock = clock;
    }

    List<Baseline> store(List<QualityTarget> targets, JsonObject body) throws ClickHouseCallException {
        boolean period = body.containsKey("from") || body.containsKey("to");
        if (period == body.containsKey("rows")) {
            throw new IllegalArgumentException("give either \"from\" and \"to\" (a reference period) or \"rows\" (a labelled reference set)");
        }
        Instant now = clock.instant();
        List<Baseline> baselines = new ArrayList<>();
        if (period) {
            DriftWindow window = new DriftWindow(instant(body, "from"), instant(body, "to"));
            String source = "period:" + window.start() + "/" + window.end();
            for (QualityTarget target : targets) {
                baselines.add(new Baseline(target.model(), target.variant(), source, now, reader.realised(target, window)));
            }
        } else {
            QualitySpec spec = targets.get(0).spec();
            MetricSet metrics = evaluate(spec, rows(body));
            targets.forEach(t -> baselines.add(new Baseline(t.model(), t.variant(), "upload", now, metrics)));
        }
        store.save(baselines, targets.get(0).spec().task().configName());
        return baselines;
    }

    private MetricSet evaluate(QualitySpec spec, JsonArray rows) {
        QualityEvaluator evaluator = new QualityEvaluator(spec, bootstrapReplicates);
        return switch (spec.task()) {
            case BINARY_CLASSIFICATION -> {
                List<ScoreCell> cells = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    JsonObject row = row(rows, i);
                    double score = number(row, "score", i);
                    if (score < 0 || score > 1) {
                        throw new IllegalArgumentException("rows[" + i + "].score must be a probability in [0, 1], got " + score);
                    }
                    double label = number(row, "label", i);
                    if (label != 0 && label != 1) {
                        throw new IllegalArgumentException("rows[" + i + "].label must be 0 or 1, got " + label);
                    }
                    cells.add(new ScoreCell(score, label == 1 ? 1 : 0, label == 1 ? 0 : 1));
                }
                yield evaluator.binary(cells);
            }
            case MULTICLASS -> {
                int k = spec.classes();
                long[][] confusion = new long[k][k];
                double sum = 0;
                double squares = 0;
                for (int i = 0; i < rows.size(); i++) {
                    JsonObject row = row(rows, i);
                    JsonArray p = row.getValue("probabilities") instanceof JsonArray a ? a : null;
                    if (p == null || p.size() != k) {
                        throw new IllegalArgumentException("rows[" + i + "].probabilities must be an array of " + k + " numbers");
                    }
                    double label = number(row, "label", i);
                    if (label < 0 || label >= k || label != Math.floor(label)) {
                        throw new IllegalArgumentException("rows[" + i + "].label must be a class index 0.." + (k - 1) + ", got " + label);
                    }
                    int predicted = 0;
                    for (int c = 1; c < k; c++) {
                        if (probability(p, c, i) > probability(p, predicted, i)) {
                            predicted = c;
                        }
                    }
                    confusion[(int) label][predicted]++;
                    double loss = -Math.log(Math.min(1 - 1e-15, Math.max(1e-15, probability(p, (int) label, i))));
                    sum += loss;
                    squares += loss * loss;
                }
                yield evaluator.multiclass(confusion, new MeanLoss(rows.size(), sum, squares));
            }
            case REGRESSION -> {
                double[] s = new double[11];
                for (int i = 0; i < rows.size(); i++) {
                    JsonObject row = row(rows, i);
                    double y = number(row, "label", i);
                    double e = y - number(row, "prediction", i);
                    double ape = Math.abs(e) / Math.max(Math.abs(y), RegressionSums.EPSILON);
                    double[] terms = {Math.abs(e), e * e, e * e * e * e, ape, ape * ape, y, y * y, y * y * y, y * y * y * y, e * e * y,
                            e * e * y * y};
                    for (int t = 0; t < terms.length; t++) {
                        s[t] += terms[t];
                    }
                }
                yield evaluator.regression(new RegressionSums(rows.size(), s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9],
                        s[10]));
            }
        };
    }

    private static JsonArray rows(JsonObject body) {
        if (!(body.getValue("rows") instanceof JsonArray rows) || rows.isEmpty()) {
            throw new IllegalArgumentException("\"rows\" must be a non-empty array");
        }
        return rows;
    }

    private static JsonObject row(JsonArray rows, int i) {
        if (!(rows.getValue(i) instanceof JsonObject row)) {
            throw new IllegalArgumentException("rows[" + i + "] must be an object");
        }
        return row;
    }

    private static double number(JsonObject row, String key, int i) {
        if (!(row.getValue(key) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException("rows[" + i + "]." + key + " must be a finite number");
        }
        return n.doubleValue();
    }

    private static double probability(JsonArray p, int c, int i) {
        if (!(p.getValue(c) instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
            throw new IllegalArgumentException("rows[" + i + "].probabilities[" + c + "] must be a number in [0, 1]");
        }
        return n.doubleValue();
    }

    private static Instant instant(JsonObject body, String key) {
        try {
            return Instant.parse(body.getString(key, ""));
        } catch (DateTimeParseException | ClassCastException e) {
            throw new IllegalArgumentException("\"" + key + "\" must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }
}
