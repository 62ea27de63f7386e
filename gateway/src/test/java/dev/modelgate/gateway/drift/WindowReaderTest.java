package dev.modelgate.gateway.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.drift.evaluate.CurrentWindow;
import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.evaluate.DatasetDriftEvaluator;
import dev.modelgate.drift.evaluate.DriftMethod;
import dev.modelgate.drift.evaluate.DriftSettings;
import dev.modelgate.drift.evaluate.FeatureDrift;
import dev.modelgate.drift.evaluate.MethodChoice;
import dev.modelgate.drift.evaluate.MethodSelector;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SQL that counts a window in ClickHouse must give the evaluator exactly what it would compute
 * from the same values in memory, and must read only the variant's primary, successful predictions
 * inside the window.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WindowReaderTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final DriftWindow WINDOW = DriftWindow.ending(NOW, Duration.ofMinutes(60));
    private static final DriftTarget TARGET = new DriftTarget("m", "v1", List.of("a", "b"), List.of("p"));

    private final Random random = new Random(42);
    private TestClickHouse clickHouse;
    private ReferenceProfile reference;
    /** The values of the rows that belong in the window, in the order they were logged. */
    private final List<Map<String, Double>> included = new ArrayList<>();

    @BeforeAll
    void logTraffic() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
        new ClickHouseSchema(DriftTables.ALL).apply(clickHouse.connection());
        ReferenceBuilder builder = new ReferenceBuilder(TARGET.columns(), new Random(1));
        for (int i = 0; i < 2_000; i++) {
            builder.accept(Map.of("a", random.nextGaussian(), "b", random.nextDouble() < 0.3 ? 1.0 : 0.0, "p", random.nextDouble()));
        }
        reference = builder.build();

        LoggedPredictions log = new LoggedPredictions(clickHouse.connection(), clickHouse.predictions());
        for (int i = 0; i < 3_000; i++) {
            Instant t = WINDOW.start().plusMillis(i * 1_000L);
            double a = i % 300 == 0 ? Double.NaN : random.nextGaussian() + 0.3;
            double b = random.nextDouble() < 0.5 ? 1.0 : 0.0;
            double u = random.nextDouble();
            included.add(values(a, b, u * u));
            log.add(t, "m", "v1", "primary", 200, Map.of("a", a, "b", b), Map.of("p", u * u));
        }
        Map<String, Double> outlier = Map.of("a", 1e6, "b", 1.0);
        log.add(WINDOW.start().minusSeconds(1), "m", "v1", "primary", 200, outlier, Map.of("p", 1.0))
                .add(WINDOW.end(), "m", "v1", "primary", 200, outlier, Map.of("p", 1.0))
                .add(NOW, "m", "v2", "primary", 200, outlier, Map.of("p", 1.0))
                .add(NOW, "other", "v1", "primary", 200, outlier, Map.of("p", 1.0))
                .add(NOW, "m", "v1", "shadow", 200, outlier, Map.of("p", 1.0))
                .add(NOW, "m", "v1", "primary", 503, outlier, Map.of("p", 1.0))
                .flush();
    }

    @AfterAll
    void dropDatabase() throws Exception {
        clickHouse.close();
    }

    @Test
    void countsInClickHouseEqualTheCountsOfTheSameValuesInMemory() throws Exception {
        DriftSettings settings = DriftSettings.defaults().withOverrides(Map.of(
                "a", MethodChoice.withDefaultThreshold(DriftMethod.PSI),
                "b", MethodChoice.withDefaultThreshold(DriftMethod.CHI_SQUARE),
                "p", MethodChoice.withDefaultThreshold(DriftMethod.JENSEN_SHANNON)));
        CurrentWindow window = reader(5_000).read(TARGET, reference, WINDOW, new MethodSelector(settings));

        DatasetDrift fromSql = new DatasetDriftEvaluator(settings).evaluate(reference, window);
        DatasetDrift inMemory = new DatasetDriftEvaluator(settings).evaluate(reference, inMemory(included));

        assertThat(window.size("a")).isEqualTo(2_990); // 10 NaN values are missing, not values
        assertThat(window.size("b")).isEqualTo(3_000);
        assertThat(window.size("p")).isEqualTo(3_000);
        Map<String, FeatureDrift> expected = byFeature(inMemory);
        for (FeatureDrift actual : fromSql.features()) {
            assertThat(actual.statistic()).as(actual.feature()).isCloseTo(expected.get(actual.feature()).statistic(), within(1e-12));
            assertThat(actual.nCurrent()).as(actual.feature()).isEqualTo(expected.get(actual.feature()).nCurrent());
            assertThat(actual.drifted()).as(actual.feature()).isEqualTo(expected.get(actual.feature()).drifted());
        }
        assertThat(fromSql.features()).hasSize(3);
    }

    @Test
    void largeWindowsShipOnlyABoundedSampleForWasserstein() throws Exception {
        DriftSettings settings = DriftSettings.defaults();
        CurrentWindow window = reader(1_000).read(TARGET, reference, WINDOW, new MethodSelector(settings));

        FeatureDrift a = byFeature(new DatasetDriftEvaluator(settings).evaluate(reference, window)).get("a");

        assertThat(window.size("a")).isEqualTo(2_990);
        assertThat(a.method()).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
        // cityHash64(event_id) % 3 = 0 keeps about a third of the rows, capped at 1,000 per column
        assertThat(a.nCurrent()).isBetween(800L, 1_000L);
        // the sample still sees the 0.3σ shift
        assertThat(a.statistic()).isCloseTo(0.3, within(0.1));
    }

    @Test
    void smallWindowsAreReadWholeForKolmogorovSmirnov() throws Exception {
        DriftWindow tenMinutes = new DriftWindow(WINDOW.start(), WINDOW.start().plusSeconds(600));
        DriftSettings settings = DriftSettings.defaults();
        CurrentWindow window = reader(1_000).read(TARGET, reference, tenMinutes, new MethodSelector(settings));

        FeatureDrift a = byFeature(new DatasetDriftEvaluator(settings).evaluate(reference, window)).get("a");
        FeatureDrift expected = byFeature(new DatasetDriftEvaluator(settings).evaluate(reference, inMemory(included.subList(0, 600)))).get("a");

        assertThat(a.method()).isEqualTo(DriftMethod.KOLMOGOROV_SMIRNOV);
        assertThat(a.nCurrent()).isEqualTo(598);
        assertThat(a.statistic()).isEqualTo(expected.statistic());
        assertThat(a.pValue()).isEqualTo(expected.pValue());
    }

    private WindowReader reader(int sampleRows) {
        return new WindowReader(clickHouse.connection(), new PredictionQueries(clickHouse.predictions()), sampleRows);
    }

    private CurrentWindow inMemory(List<Map<String, Double>> rows) {
        CurrentWindow.Builder builder = CurrentWindow.builder(reference);
        rows.forEach(builder::accept);
        return builder.build();
    }

    private static Map<String, Double> values(double a, double b, double p) {
        Map<String, Double> row = new HashMap<>();
        row.put("a", a);
        row.put("b", b);
        row.put("p", p);
        return row;
    }

    private static Map<String, FeatureDrift> byFeature(DatasetDrift drift) {
        return drift.features().stream().collect(Collectors.toMap(FeatureDrift::feature, Function.identity()));
    }
}
