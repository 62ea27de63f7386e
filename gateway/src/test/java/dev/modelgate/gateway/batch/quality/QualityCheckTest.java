package dev.modelgate.gateway.batch.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.drift.evaluate.DatasetDriftEvaluator;
import dev.modelgate.drift.evaluate.DriftSettings;
import dev.modelgate.drift.profile.ProfilerSettings;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.drift.profile.ReferenceProfiler;
import dev.modelgate.gateway.batch.RowBlock;
import dev.modelgate.gateway.config.JobSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QualityCheckTest {

    private static final List<String> COLUMNS = List.of("amount", "risk");
    private static final Map<String, String> FEATURES = Map.of("amount", "amount", "risk", "risk");
    private static final DatasetDriftEvaluator EVALUATOR = new DatasetDriftEvaluator(DriftSettings.defaults());

    private static JobSpec.Quality quality(Map<String, double[]> ranges) {
        return new JobSpec.Quality(true, 0.0, 0.05, 0.01, ranges, "fail", 2_000);
    }

    /** {@code n} rows, amount ~ U(0, amountScale), risk ~ U(0, 1); every {@code nullEvery}-th risk null (0: none). */
    private static RowBlock block(int n, double amountScale, int nullEvery, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] values = new double[2][n];
        boolean[][] nulls = new boolean[2][n];
        String[] keys = new String[n];
        for (int r = 0; r < n; r++) {
            keys[r] = Integer.toString(r);
            values[0][r] = random.nextDouble() * amountScale;
            values[1][r] = random.nextDouble();
            if (nullEvery > 0 && r % nullEvery == 0) {
                nulls[1][r] = true;
                values[1][r] = Double.NaN;
            }
        }
        return new RowBlock(0, n, keys, new String[n], values, nulls);
    }

    private static ReferenceProfile reference() {
        ReferenceProfiler profiler = new ReferenceProfiler(ProfilerSettings.defaults(), new java.util.Random(7)::nextLong);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 5_000; i++) {
            profiler.accept(Map.of("amount", random.nextDouble() * 100, "risk", random.nextDouble()));
        }
        return profiler.build();
    }

    private static QualityReport check(Map<String, double[]> ranges, Optional<ReferenceProfile> reference, RowBlock... blocks) {
        QualityCheck check = new QualityCheck(quality(ranges), COLUMNS, Map.of("amount", "DOUBLE", "risk", "DOUBLE"));
        for (RowBlock block : blocks) {
            check.accept(block);
        }
        return check.report(reference, "v1", FEATURES, EVALUATOR);
    }

    @Test
    void cleanDataLikeTheReferencePasses() {
        QualityReport report = check(Map.of(), Optional.of(reference()), block(10_000, 100, 0, 2), block(10_000, 100, 0, 3));
        assertThat(report.problems()).isEmpty();
        assertThat(report.status()).isEqualTo(QualityReport.PASS);
        assertThat(report.rows()).isEqualTo(20_000);
        assertThat(report.drift()).hasValueSatisfying(drift -> assertThat(drift.driftedCount()).isZero());
        ColumnStats amount = report.columns().get(0);
        assertThat(amount.min()).isGreaterThanOrEqualTo(0);
        assertThat(amount.max()).isLessThan(100);
        assertThat(amount.mean()).isBetween(48.0, 52.0);
    }

    @Test
    void missingValuesAboveTheThresholdFailAndAreCounted() {
        QualityReport report = check(Map.of(), Optional.empty(), block(1_000, 100, 10, 2)); // 10 % of risk is null
        assertThat(report.status()).isEqualTo(QualityReport.FAIL);
        assertThat(report.problems()).containsExactly(
                "column 'risk' is missing (null or NaN) in 100 of 1000 rows (10.00 %), above the 5.00 % allowed");
        assertThat(report.columns().get(1).nulls()).isEqualTo(100);
        assertThat(report.warnings()).containsExactly("no reference profile is stored for variant 'v1': drift was not checked");
    }

    @Test
    void valuesOutsideTheirRangeFailPastTheirShare() {
        QualityReport report = check(Map.of("amount", new double[] {0, 50}), Optional.empty(), block(1_000, 100, 0, 2));
        assertThat(report.status()).isEqualTo(QualityReport.FAIL);
        assertThat(report.problems()).singleElement().asString().startsWith("column 'amount' is outside [0.0, 50.0] in ");
        assertThat(report.columns().get(0).outOfRangeFraction()).isBetween(0.45, 0.55);
    }

    @Test
    void aDriftedColumnFailsAndIsNamed() {
        QualityReport report = check(Map.of(), Optional.of(reference()), block(10_000, 1_000, 0, 2));
        assertThat(report.status()).isEqualTo(QualityReport.FAIL);
        assertThat(report.problems()).singleElement().asString()
                .startsWith("input drifted from the reference of variant 'v1' in 1 of 2 features: amount (");
        assertThat(QualityReports.toMap(report)).containsKey("drift");
    }
}
