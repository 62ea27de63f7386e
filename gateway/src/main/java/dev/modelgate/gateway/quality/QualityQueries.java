package dev.modelgate.gateway.quality;

import dev.modelgate.gateway.drift.DriftWindow;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * SQL joining {@code predictions} to their labels in {@code feedback}, in ClickHouse 18.16's subset
 * (DESIGN.md §5): no window functions, one aggregate per query. The database returns the sufficient
 * statistics — score/label cells, a confusion matrix with log-loss sums, or regression moment sums —
 * so a window of any size costs one scan and a small answer; the statistics library finishes the
 * metrics exactly from them.
 *
 * <p>A request's label is its latest feedback value for the label metric received since the window
 * started (a correction replaces the first answer). Labels are selected by when the gateway received
 * them, not by their own {@code time}, which a caller may set to when the outcome happened; the
 * metric is the feedback table's leading key, so this reads only that metric's rows. Predictions count from every successful row of
 * the variant, shadows included: a shadow is judged on the labels of the requests it saw.
 */
final class QualityQueries {

    private static final String EPSILON = "1e-15";

    private final String predictions;
    private final String feedback;

    QualityQueries(String predictions, String feedback) {
        this.predictions = predictions;
        this.feedback = feedback;
    }

    /** Binary: rows {@code s, pos, neg} — labelled rows per distinct score; a label ≥ 0.5 is positive. */
    String scoreCells(QualityTarget target, DriftWindow window) {
        return "SELECT s, sum(y) AS pos, count() - sum(y) AS neg FROM (SELECT s, toUInt64(label >= 0.5) AS y FROM ("
                + scored(target, window) + ") ANY INNER JOIN (" + labels(target, window) + ") USING request_id) GROUP BY s";
    }

    /** Binary: rows {@code s, c} — predictions per distinct score, labelled or not (scores outside [0, 1] left out). */
    String scoreCounts(QualityTarget target, DriftWindow window) {
        return "SELECT s, count() AS c FROM (" + scored(target, window) + ") WHERE s >= 0 AND s <= 1 GROUP BY s";
    }

    /**
     * Multiclass: rows {@code t, k, c, ll_sum, ll_squares} — labelled rows per (true, predicted) class with the
     * sums of {@code −log p(true)} (clipped like the library) and of its square. Labels that are not
     * a class index are left out.
     */
    String confusion(QualityTarget target, DriftWindow window) {
        int classes = target.spec().classes();
        String prefix = SqlLiterals.quote(target.spec().scoreOutput() + "[");
        int prefixLength = target.spec().scoreOutput().length() + 1;
        String probabilities = "SELECT request_id, arrayFilter((v, n) -> substring(n, 1, " + prefixLength + ") = " + prefix
                + ", output_values, output_names) AS p FROM " + predictions + " WHERE " + filter(target, window)
                + " AND length(p) = " + classes;
        return "SELECT t, k, count() AS c, sum(ll) AS ll_sum, sum(ll * ll) AS ll_squares FROM (SELECT toUInt32(label) AS t,"
                + " indexOf(p, arrayReduce('max', p)) - 1 AS k,"
                + " -log(greatest(least(p[toUInt32(label) + 1], 1 - " + EPSILON + "), " + EPSILON + ")) AS ll"
                + " FROM (" + probabilities + ") ANY INNER JOIN (" + labels(target, window) + ") USING request_id"
                + " WHERE label >= 0 AND label < " + classes + " AND label = floor(label)) GROUP BY t, k";
    }

    /** Regression: one row of the {@code RegressionSums} (n, ae, se, se2, pe1, pe2, y1..y4, sey, sey2). */
    String regressionSums(QualityTarget target, DriftWindow window) {
        return "SELECT count() AS n, sum(abs(e)) AS ae, sum(e * e) AS se, sum(e * e * e * e) AS se2, sum(pe) AS pe1,"
                + " sum(pe * pe) AS pe2, sum(y) AS y1, sum(y * y) AS y2, sum(y * y * y) AS y3, sum(y * y * y * y) AS y4,"
                + " sum(e * e * y) AS sey, sum(e * e * y * y) AS sey2 FROM (SELECT label AS y, label - s AS e,"
                + " abs(label - s) / greatest(abs(label), 2.220446049250313e-16) AS pe FROM (" + scored(target, window)
                + ") ANY INNER JOIN (" + labels(target, window) + ") USING request_id WHERE isFinite(label))";
    }

    /** {@code request_id, s}: the variant's scores (binary) or predictions (regression) in the window. */
    private String scored(QualityTarget target, DriftWindow window) {
        String output = target.spec().scoreOutput();
        String score = output.isEmpty() ? "score"
                : "output_values[indexOf(output_names, " + SqlLiterals.quote(output) + ")]";
        String present = output.isEmpty() ? "" : " AND has(output_names, " + SqlLiterals.quote(output) + ")";
        return "SELECT request_id, " + score + " AS s FROM " + predictions + " WHERE " + filter(target, window) + present
                + " AND isFinite(s)";
    }

    private String labels(QualityTarget target, DriftWindow window) {
        return "SELECT request_id, argMax(value, event_time_ms) AS label FROM " + feedback
                + " WHERE metric = " + SqlLiterals.quote(target.spec().labelMetric())
                + " AND received_ms >= " + window.start().toEpochMilli() + " GROUP BY request_id";
    }

    /** The variant's successful predictions in {@code [start, end)}; {@code event_date} bounds let ClickHouse skip partitions. */
    private static String filter(QualityTarget target, DriftWindow window) {
        return "model = " + SqlLiterals.quote(target.model()) + " AND served_variant = " + SqlLiterals.quote(target.variant())
                + " AND status = 200"
                + " AND event_date >= " + SqlLiterals.quote(utcDate(window.start()))
                + " AND event_date <= " + SqlLiterals.quote(utcDate(window.end()))
                + " AND event_time >= toDateTime(" + window.start().getEpochSecond() + ")"
                + " AND event_time < toDateTime(" + window.end().getEpochSecond() + ")";
    }

    private static String utcDate(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
