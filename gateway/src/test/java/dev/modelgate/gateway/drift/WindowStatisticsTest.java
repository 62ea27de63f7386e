package dev.modelgate.gateway.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.modelgate.drift.evaluate.DatasetDriftEvaluator;
import dev.modelgate.drift.evaluate.DriftMethod;
import dev.modelgate.drift.evaluate.DriftSettings;
import dev.modelgate.drift.evaluate.FeatureDrift;
import dev.modelgate.drift.evaluate.MethodSelector;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Statistics of windows read from ClickHouse, against SciPy 1.17 on the same numbers: the reference
 * is 0, 0.1, ..., 199.9; the windows hold 20, 20.1, ... written by ClickHouse itself
 * ({@code number * 0.1 + 20}).
 *
 * <pre>
 * >>> import numpy as np; from scipy.stats import ks_2samp, wasserstein_distance
 * >>> ref = np.arange(2000) * 0.1
 * >>> r = ks_2samp(ref, np.arange(600) * 0.1 + 20); print(r.statistic, r.pvalue)
 * 0.6 2.9979896157580126e-156
 * >>> wasserstein_distance(ref, np.arange(1200) * 0.1 + 20) / np.std(ref)
 * 0.4330127560188174
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WindowStatisticsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final DriftWindow WINDOW = DriftWindow.ending(NOW, Duration.ofHours(1));
    private static final DriftTarget SMALL = new DriftTarget("linear", "small", List.of("a"), List.of());
    private static final DriftTarget LARGE = new DriftTarget("linear", "large", List.of("a"), List.of());

    private TestClickHouse clickHouse;
    private ReferenceProfile reference;

    @BeforeAll
    void logTraffic() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
        ReferenceBuilder builder = new ReferenceBuilder(List.of("a"), new Random(1));
        for (int i = 0; i < 2_000; i++) {
            builder.accept(Map.of("a", i * 0.1));
        }
        reference = builder.build();
        insert("small", 600);
        insert("large", 1_200);
    }

    @AfterAll
    void dropDatabase() throws Exception {
        clickHouse.close();
    }

    @Test
    void smallWindowGetsScipysKolmogorovSmirnov() throws Exception {
        FeatureDrift a = evaluate(SMALL);

        assertThat(a.method()).isEqualTo(DriftMethod.KOLMOGOROV_SMIRNOV);
        assertThat(a.statistic()).isCloseTo(0.6, withinPercentage(1e-9));
        assertThat(a.pValue()).isCloseTo(2.9979896157580126e-156, withinPercentage(1e-6));
        assertThat(a.drifted()).isTrue();
    }

    @Test
    void largeWindowGetsScipysWassersteinNormedByTheReferenceStd() throws Exception {
        FeatureDrift a = evaluate(LARGE);

        assertThat(a.method()).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
        assertThat(a.nCurrent()).isEqualTo(1_200);
        assertThat(a.statistic()).isCloseTo(0.4330127560188174, withinPercentage(1e-9));
    }

    private FeatureDrift evaluate(DriftTarget target) throws Exception {
        DriftSettings settings = DriftSettings.defaults();
        var window = new WindowReader(clickHouse.connection(), new PredictionQueries(clickHouse.predictions()), 5_000)
                .read(target, reference, WINDOW, new MethodSelector(settings));
        return new DatasetDriftEvaluator(settings).evaluate(reference, window).features().get(0);
    }

    private void insert(String variant, int rows) throws Exception {
        long start = WINDOW.start().getEpochSecond();
        clickHouse.connection().execute("INSERT INTO " + clickHouse.predictions()
                + " (event_date, event_time, event_time_ms, event_id, model, served_variant, role, status, feature_names, feature_values)"
                + " SELECT toDate(toDateTime(" + start + ")), toDateTime(" + start + " + number), (" + start + " + number) * 1000,"
                + " toString(number), 'linear', '" + variant + "', 'primary', 200, ['a'], [number * 0.1 + 20]"
                + " FROM numbers(" + rows + ")");
    }
}
