package dev.modelgate.gateway.batch.quality;

import dev.modelgate.drift.evaluate.CurrentWindow;
import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.evaluate.DatasetDriftEvaluator;
import dev.modelgate.drift.evaluate.FeatureDrift;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.gateway.batch.RowBlock;
import dev.modelgate.gateway.config.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The checks a job makes on its whole input before it scores a row: every input column numeric (done
 * by the caller, against the source's schema), null / NaN / infinite / out-of-range counts against the
 * spec's thresholds, and drift of a uniform sample against the variant's reference profile with the
 * drift library's tests (the monitor's methods and thresholds). Feed every block to {@link #accept},
 * then call {@link #report}. Not thread-safe.
 */
public final class QualityCheck {

    /** Fixed, so that two runs over the same input sample the same rows. */
    private static final long SAMPLE_SEED = 0x5eed_ba7c_4L;

    private final JobSpec.Quality spec;
    private final List<String> columns;
    private final Map<String, String> types;
    private final long[] nulls;
    private final long[] nans;
    private final long[] infinite;
    private final long[] outOfRange;
    private final double[] min;
    private final double[] max;
    private final double[] sum;
    private final double[][] ranges;
    private final double[][] sample;
    private final SplittableRandom random = new SplittableRandom(SAMPLE_SEED);
    private long rows;

    /** @param types the source's type of each column, for the report */
    public QualityCheck(JobSpec.Quality spec, List<String> columns, Map<String, String> types) {
        this.spec = spec;
        this.columns = List.copyOf(columns);
        this.types = Map.copyOf(types);
        int n = columns.size();
        nulls = new long[n];
        nans = new long[n];
        infinite = new long[n];
        outOfRange = new long[n];
        min = new double[n];
        max = new double[n];
        sum = new double[n];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        ranges = new double[n][];
        for (int c = 0; c < n; c++) {
            ranges[c] = spec.ranges().get(columns.get(c));
        }
        sample = new double[spec.sampleRows()][];
    }

    public void accept(RowBlock block) {
        for (int c = 0; c < columns.size(); c++) {
            double[] values = block.values()[c];
            boolean[] isNull = block.nulls()[c];
            double[] range = ranges[c];
            for (int r = 0; r < block.size(); r++) {
                double v = values[r];
                if (isNull[r]) {
                    nulls[c]++;
                } else if (Double.isNaN(v)) {
                    nans[c]++;
                } else if (Double.isInfinite(v)) {
                    infinite[c]++;
                } else {
                    min[c] = Math.min(min[c], v);
                    max[c] = Math.max(max[c], v);
                    sum[c] += v;
                    if (range != null && (v < range[0] || v > range[1])) {
                        outOfRange[c]++;
                    }
                }
            }
        }
        for (int r = 0; r < block.size(); r++) {
            long seen = rows + r;
            // reservoir sampling (Algorithm R): every row ends up in the sample with the same probability
            int slot = seen < sample.length ? (int) seen : (int) random.nextLong(seen + 1);
            if (slot < sample.length) {
                double[] row = new double[columns.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = block.isNull(c, r) ? Double.NaN : block.values()[c][r];
                }
                sample[slot] = row;
            }
        }
        rows += block.size();
    }

    /**
     * @param reference   the reference profile of {@code driftVariant}, if one is stored
     * @param featureOf   source column → the feature name the reference uses for it
     */
    public QualityReport report(Optional<ReferenceProfile> reference, String driftVariant, Map<String, String> featureOf,
                                DatasetDriftEvaluator evaluator) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ColumnStats> stats = new ArrayList<>();
        if (rows == 0) {
            problems.add("the input has no rows");
        }
        for (int c = 0; c < columns.size(); c++) {
            String column = columns.get(c);
            long finite = rows - nulls[c] - nans[c] - infinite[c];
            ColumnStats s = new ColumnStats(column, types.getOrDefault(column, ""), rows, nulls[c], nans[c], infinite[c], outOfRange[c],
                    finite == 0 ? Double.NaN : min[c], finite == 0 ? Double.NaN : max[c], finite == 0 ? Double.NaN : sum[c] / finite);
            stats.add(s);
            judge(s, problems, warnings);
        }
        Optional<DatasetDrift> drift = Optional.empty();
        if (!"off".equals(spec.drift())) {
            if (reference.isEmpty()) {
                warnings.add("no reference profile is stored for variant '" + driftVariant + "': drift was not checked");
            } else if (rows > 0) {
                drift = Optional.of(drift(reference.get(), featureOf, evaluator));
                List<String> drifted = drift.get().features().stream().filter(FeatureDrift::drifted)
                        .map(f -> f.feature() + " (" + f.method().name().toLowerCase(Locale.ROOT) + " "
                                + String.format(Locale.ROOT, "%.3g", f.statistic()) + ")").toList();
                if (!drifted.isEmpty()) {
                    String sentence = "input drifted from the reference of variant '" + driftVariant + "' in " + drifted.size()
                            + " of " + drift.get().features().size() + " features: " + String.join(", ", drifted);
                    ("fail".equals(spec.drift()) ? problems : warnings).add(sentence);
                }
            }
        }
        String status = !problems.isEmpty() ? QualityReport.FAIL : !warnings.isEmpty() ? QualityReport.WARN : QualityReport.PASS;
        return new QualityReport(status, rows, stats, problems, warnings, driftVariant, drift);
    }

    private void judge(ColumnStats s, List<String> problems, List<String> warnings) {
        if (s.missing() > 0) {
            String sentence = String.format(Locale.ROOT, "column '%s' is missing (null or NaN) in %d of %d rows (%.2f %%)",
                    s.column(), s.missing(), s.rows(), 100 * s.missingFraction());
            if (s.missingFraction() > spec.failMissingFraction()) {
                problems.add(sentence + String.format(Locale.ROOT, ", above the %.2f %% allowed", 100 * spec.failMissingFraction()));
            } else if (s.missingFraction() > spec.warnMissingFraction()) {
                warnings.add(sentence);
            }
        }
        if (s.infinite() > 0) {
            problems.add("column '" + s.column() + "' holds " + s.infinite() + " infinite values");
        }
        if (s.outOfRange() > 0) {
            double[] range = spec.ranges().get(s.column());
            String sentence = String.format(Locale.ROOT, "column '%s' is outside [%s, %s] in %d of %d rows (%.2f %%)", s.column(),
                    range[0], range[1], s.outOfRange(), s.rows(), 100 * s.outOfRangeFraction());
            (s.outOfRangeFraction() > spec.failOutOfRangeFraction() ? problems : warnings).add(sentence);
        }
    }

    private DatasetDrift drift(ReferenceProfile reference, Map<String, String> featureOf, DatasetDriftEvaluator evaluator) {
        CurrentWindow.Builder window = CurrentWindow.builder(reference);
        int taken = (int) Math.min(rows, sample.length);
        for (int i = 0; i < taken; i++) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                String feature = featureOf.get(columns.get(c));
                double v = sample[i][c];
                if (feature != null && Double.isFinite(v)) {
                    row.put(feature, v);
                }
            }
            window.accept(row);
        }
        return evaluator.evaluate(reference, window.build());
    }
}
