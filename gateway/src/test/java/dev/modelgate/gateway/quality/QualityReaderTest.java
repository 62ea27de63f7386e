package dev.modelgate.gateway.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.gateway.config.QualitySpec;
import dev.modelgate.gateway.drift.DriftWindow;
import dev.modelgate.gateway.telemetry.FeedbackTable;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.statistics.quality.MeanLoss;
import dev.modelgate.statistics.quality.MetricEstimate;
import dev.modelgate.statistics.quality.RegressionSums;
import dev.modelgate.statistics.quality.ScoreCell;
import dev.modelgate.statistics.quality.ScoreCount;
import dev.modelgate.statistics.quality.Task;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SQL that joins predictions to their labels in ClickHouse 18.16 must hand the library exactly
 * what it would get from the same rows in memory: only the variant's successful predictions inside
 * the window, only labelled ones for realised metrics, and the latest label of a request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QualityReaderTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final DriftWindow WINDOW = DriftWindow.ending(NOW, Duration.ofMinutes(60));
    private static final QualitySpec BINARY = new QualitySpec(Task.BINARY_CLASSIFICATION, "chargeback", 0.5, "", 0, Duration.ZERO,
            Duration.ofMinutes(60), "roc_auc", 10);
    private static final QualitySpec MULTICLASS = new QualitySpec(Task.MULTICLASS, "species", 0.5, "probs", 3, Duration.ZERO,
            Duration.ofMinutes(60), "accuracy", 10);
    private static final QualitySpec REGRESSION = new QualitySpec(Task.REGRESSION, "amount", 0.5, "", 0, Duration.ZERO,
            Duration.ofMinutes(60), "mae", 10);

    private final Random random = new Random(18);
    private TestClickHouse clickHouse;
    private QualityReader reader;
    private final StringBuilder predictions = new StringBuilder();
    private final StringBuilder feedback = new StringBuilder();
    private final List<ScoreCell> binaryCells = new ArrayList<>();
    private final List<ScoreCount> binaryCounts = new ArrayList<>();
    private final long[][] confusion = new long[3][3];
    private MeanLoss multiclassLoss = new MeanLoss(0, 0, 0);
    private final double[] regression = new double[12];

    @BeforeAll
    void logTraffic() throws Exception {
        clickHouse = TestClickHouse.empty();
        new ClickHouseSchema(List.of(PredictionsTable.DEFINITION, FeedbackTable.DEFINITION)).apply(clickHouse.connection());
        reader = new QualityReader(clickHouse.connection(), new QualityQueries(clickHouse.predictions(),
                clickHouse.settings().qualify(FeedbackTable.NAME)), 50);
        for (int i = 0; i < 600; i++) {
            Instant t = WINDOW.start().plusSeconds(i * 5L);
            double score = Math.round(random.nextDouble() * 100) / 100.0;
            String id = "b" + i;
            predict(id, t, "bin", "v1", 200, score, Map.of());
            binaryCounts.add(new ScoreCount(score, 1));
            if (i % 4 != 0) { // a quarter never gets a label
                int label = random.nextDouble() < score ? 1 : 0;
                if (i % 10 == 1) {
                    label(id, t.plusSeconds(1), "chargeback", 1 - label); // corrected below: the latest label wins
                }
                label(id, t.plusSeconds(2), "chargeback", label);
                binaryCells.add(new ScoreCell(score, label, 1 - label));
            }
        }
        for (int i = 0; i < 300; i++) {
            Instant t = WINDOW.start().plusSeconds(i * 10L);
            double[] p = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
            double sum = p[0] + p[1] + p[2];
            int truth = random.nextInt(3);
            String id = "m" + i;
            predict(id, t, "multi", "v1", 200, p[0] / sum, Map.of("probs[0]", p[0] / sum, "probs[1]", p[1] / sum, "probs[2]", p[2] / sum));
            label(id, t.plusSeconds(1), "species", truth);
            int predicted = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
            confusion[truth][predicted]++;
            double loss = -Math.log(p[truth] / sum);
            multiclassLoss = new MeanLoss(multiclassLoss.n() + 1, multiclassLoss.sum() + loss, multiclassLoss.sumOfSquares() + loss * loss);
        }
        for (int i = 0; i < 200; i++) {
            Instant t = WINDOW.start().plusSeconds(i * 15L);
            double y = 10 + 3 * random.nextGaussian();
            double prediction = y + random.nextGaussian();
            String id = "r" + i;
            predict(id, t, "reg", "v1", 200, prediction, Map.of());
            label(id, t.plusSeconds(1), "amount", y);
            double e = y - prediction;
            double ape = Math.abs(e) / Math.abs(y);
            double[] terms = {1, Math.abs(e), e * e, e * e * e * e, ape, ape * ape, y, y * y, y * y * y, y * y * y * y, e * e * y, e * e * y * y};
            for (int k = 0; k < terms.length; k++) {
                regression[k] += terms[k];
            }
        }
        // rows that must not count: outside the window, another variant, a failure
        predict("x1", WINDOW.start().minusSeconds(1), "bin", "v1", 200, 0.99, Map.of());
        predict("x2", WINDOW.end(), "bin", "v1", 200, 0.99, Map.of());
        predict("x3", NOW.minusSeconds(5), "bin", "v2", 200, 0.99, Map.of());
        predict("x4", NOW.minusSeconds(5), "bin", "v1", 503, 0.99, Map.of());
        for (String id : List.of("x1", "x2", "x3", "x4")) {
            label(id, NOW.minusSeconds(1), "chargeback", 0);
        }
        clickHouse.connection().insertJsonEachRow(clickHouse.predictions(), stream(predictions));
        clickHouse.connection().insertJsonEachRow(clickHouse.settings().qualify(FeedbackTable.NAME), stream(feedback));
    }

    @AfterAll
    void dropDatabase() throws Exception {
        clickHouse.close();
    }

    @Test
    void binaryMetricsFromClickHouseEqualTheLibraryOnTheLabelledRows() throws Exception {
        QualityTarget target = new QualityTarget("bin", "v1", BINARY);
        MetricSet fromSql = reader.realised(target, WINDOW);
        MetricSet inMemory = new QualityEvaluator(BINARY, 50).binary(binaryCells);

        assertThat(fromSql.n()).isEqualTo(450);
        assertSame(fromSql, inMemory);
        assertThat(fromSql.reliability()).isEqualTo(inMemory.reliability());
    }

    @Test
    void theEstimateReadsEveryPredictionLabelledOrNot() throws Exception {
        MetricSet estimate = reader.estimated(new QualityTarget("bin", "v1", BINARY), WINDOW).orElseThrow();

        assertThat(estimate.n()).isEqualTo(600);
        assertSame(estimate, new QualityEvaluator(BINARY, 50).estimate(binaryCounts));
    }

    @Test
    void multiclassConfusionAndLogLossFromTheProbabilityColumns() throws Exception {
        MetricSet fromSql = reader.realised(new QualityTarget("multi", "v1", MULTICLASS), WINDOW);

        assertThat(fromSql.n()).isEqualTo(300);
        assertSame(fromSql, new QualityEvaluator(MULTICLASS, 50).multiclass(confusion, multiclassLoss));
    }

    @Test
    void regressionSumsFromClickHouse() throws Exception {
        MetricSet fromSql = reader.realised(new QualityTarget("reg", "v1", REGRESSION), WINDOW);
        double[] s = regression;

        assertThat(fromSql.n()).isEqualTo(200);
        assertSame(fromSql, new QualityEvaluator(REGRESSION, 50).regression(new RegressionSums((long) s[0], s[1], s[2], s[3], s[4], s[5],
                s[6], s[7], s[8], s[9], s[10], s[11])));
    }

    /** Sums computed in a different order differ in the last bits. */
    private static void assertSame(MetricSet actual, MetricSet expected) {
        assertThat(actual.metrics().keySet()).containsExactlyElementsOf(expected.metrics().keySet());
        expected.metrics().forEach((name, e) -> {
            MetricEstimate a = actual.metrics().get(name);
            assertThat(a.value()).as(name).isCloseTo(e.value(), within(1e-9));
            assertThat(a.lower()).as(name).isCloseTo(e.lower(), within(1e-9));
            assertThat(a.upper()).as(name).isCloseTo(e.upper(), within(1e-9));
        });
    }

    private void predict(String id, Instant t, String model, String variant, int status, double score, Map<String, Double> outputs) {
        JsonArray names = new JsonArray();
        JsonArray values = new JsonArray();
        outputs.keySet().stream().sorted().forEach(name -> {
            names.add(name);
            values.add(outputs.get(name));
        });
        predictions.append(new JsonObject().put("event_date", t.toString().substring(0, 10)).put("event_time", t.getEpochSecond())
                .put("event_time_ms", t.toEpochMilli()).put("event_id", id + variant).put("request_id", id).put("model", model)
                .put("served_variant", variant).put("assigned_variant", variant).put("role", "primary").put("status", status)
                .put("output_names", names).put("output_values", values).put("score", score).encode()).append('\n');
    }

    private void label(String id, Instant t, String metric, double value) {
        feedback.append(new JsonObject().put("event_date", t.toString().substring(0, 10)).put("event_time", t.getEpochSecond())
                .put("event_time_ms", t.toEpochMilli()).put("request_id", id).put("metric", metric).put("value", value)
                .put("received_ms", t.toEpochMilli()).put("feedback_id", id + t.toEpochMilli()).encode()).append('\n');
    }

    private static ByteArrayInputStream stream(StringBuilder rows) {
        return new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8));
    }
}
