package dev.modelgate.gateway.batch.quality;

import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.evaluate.FeatureDrift;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link QualityReport} as JSON-ready maps (snake_case; NaN as null), for the jobs table, the admin API and the CLI. */
public final class QualityReports {

    private QualityReports() {}

    public static Map<String, Object> toMap(QualityReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", report.status());
        out.put("rows", report.rows());
        out.put("problems", report.problems());
        out.put("warnings", report.warnings());
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ColumnStats column : report.columns()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("column", column.column());
            c.put("type", column.type());
            c.put("nulls", column.nulls());
            c.put("nans", column.nans());
            c.put("infinite", column.infinite());
            c.put("out_of_range", column.outOfRange());
            c.put("min", number(column.min()));
            c.put("max", number(column.max()));
            c.put("mean", number(column.mean()));
            columns.add(c);
        }
        out.put("columns", columns);
        report.drift().ifPresent(drift -> out.put("drift", drift(report.driftVariant(), drift)));
        return out;
    }

    private static Map<String, Object> drift(String variant, DatasetDrift drift) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference_variant", variant);
        out.put("drifted", drift.drifted());
        out.put("drifted_share", drift.driftedShare());
        out.put("share_threshold", drift.shareThreshold());
        List<Map<String, Object>> features = new ArrayList<>();
        for (FeatureDrift feature : drift.features()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("feature", feature.feature());
            f.put("method", feature.method().name().toLowerCase(Locale.ROOT));
            f.put("statistic", number(feature.statistic()));
            f.put("p_value", number(feature.adjustedPValue()));
            f.put("threshold", feature.threshold());
            f.put("drifted", feature.drifted());
            f.put("n_reference", feature.nReference());
            f.put("n_current", feature.nCurrent());
            features.add(f);
        }
        out.put("features", features);
        out.put("features_without_data", drift.featuresWithoutData());
        return out;
    }

    private static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
