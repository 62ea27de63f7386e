package dev.modelgate.gateway.quality;

import static dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition.of;

import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.util.List;

/** The quality monitor's tables, in the DDL subset of DESIGN.md §5; append-only, the latest row wins. */
public final class QualityTables {

    /**
     * One row per metric per kind ({@code realised}, {@code estimated} — CBPE on the labelled window —,
     * {@code estimated_current} — CBPE on the latest window) per run, plus one {@code verdict} row
     * carrying the degradation test ({@code metric} = the alert metric, {@code value} = the value tested,
     * {@code baseline_value}, one-sided {@code p_value}). The {@code ece} row of {@code realised} also
     * holds the reliability curve in the {@code curve_*} arrays.
     */
    public static final TableDefinition QUALITY_REPORTS = new TableDefinition("quality_reports", List.of(
            of("event_date", "Date"),
            of("time", "DateTime"),
            of("time_ms", "UInt64"),
            of("run_id", "String"),
            of("model", "String"),
            of("variant", "String"),
            of("task", "String"),
            of("kind", "String"),
            of("metric", "String"),
            of("value", "Float64"),
            of("lower", "Float64"),
            of("upper", "Float64"),
            of("standard_error", "Float64"),
            of("n", "UInt64"),
            of("window_start", "DateTime"),
            of("window_end", "DateTime"),
            of("baseline_value", "Float64"),
            of("p_value", "Float64"),
            of("verdict", "String"),
            of("alert_state", "String"),
            of("transition", "String"),
            of("reason", "String"),
            of("instance_id", "String"),
            of("curve_lower", "Array(Float64)"),
            of("curve_upper", "Array(Float64)"),
            of("curve_count", "Array(UInt64)"),
            of("curve_mean_score", "Array(Float64)"),
            of("curve_fraction_positive", "Array(Float64)")),
            "ENGINE = MergeTree() PARTITION BY event_date ORDER BY (model, variant, time)")
            .shardedBy("cityHash64(model, variant)");

    /** One row per stored baseline and variant; {@code metrics} is {@link MetricSetJson} of the baseline's metrics. */
    public static final TableDefinition QUALITY_BASELINES = new TableDefinition("quality_baselines", List.of(
            of("created_at", "DateTime"),
            of("created_at_ms", "UInt64"),
            of("model", "String"),
            of("variant", "String"),
            of("task", "String"),
            of("source", "String"),
            of("metrics", "String")),
            "ENGINE = MergeTree() ORDER BY (model, variant, created_at_ms)")
            .shardedBy("cityHash64(model, variant)");

    public static final List<TableDefinition> ALL = List.of(QUALITY_REPORTS, QUALITY_BASELINES);

    private QualityTables() {
    }
}
