package dev.modelgate.gateway.drift;

import static dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition.of;
import static dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition.withDefault;

import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.util.List;

/**
 * The drift monitor's tables, in the DDL subset of DESIGN.md §5. Both are append-only: the latest
 * reference and the latest report win, so replicas never update rows and a restart reads the same state.
 */
public final class DriftTables {

    /** One row per stored reference; {@code profile} is {@code ProfileMaps.toMap} as JSON. */
    public static final TableDefinition REFERENCE_PROFILES = new TableDefinition("reference_profiles", List.of(
            of("created_at", "DateTime"),
            of("created_at_ms", "UInt64"),
            of("model", "String"),
            of("variant", "String"),
            of("source", "String"),
            of("rows", "UInt64"),
            of("profile", "String")),
            "ENGINE = MergeTree() ORDER BY (model, variant, created_at_ms)")
            .shardedBy("cityHash64(model, variant)");

    /**
     * One row per feature per run, plus one {@link DriftReportRow#DATASET} row carrying the run's
     * verdict (statistic = drifted share, threshold = share threshold): every field of the admin API's
     * answer, see {@link DriftReportRow}. {@code p_value} is the Benjamini–Hochberg adjusted p-value the
     * verdict used, {@code raw_p_value} the test's own. Columns added later go at the end, and rows
     * written before they existed read NaN / empty there.
     */
    public static final TableDefinition DRIFT_REPORTS = new TableDefinition("drift_reports", List.of(
            of("event_date", "Date"),
            of("time", "DateTime"),
            of("time_ms", "UInt64"),
            of("run_id", "String"),
            of("model", "String"),
            of("variant", "String"),
            of("feature", "String"),
            of("method", "String"),
            of("statistic", "Float64"),
            of("p_value", "Float64"),
            of("threshold", "Float64"),
            of("drifted", "UInt8"),
            of("window_start", "DateTime"),
            of("window_end", "DateTime"),
            of("n_reference", "UInt64"),
            of("n_current", "UInt64"),
            of("verdict", "String"),
            of("instance_id", "String"),
            withDefault("raw_p_value", "Float64", "nan"),
            of("reason", "String"),
            of("alert_state", "String"),
            of("transition", "String"),
            of("features_without_data", "Array(String)")),
            "ENGINE = MergeTree() PARTITION BY event_date ORDER BY (model, variant, time)")
            .shardedBy("cityHash64(model, variant)");

    public static final List<TableDefinition> ALL = List.of(REFERENCE_PROFILES, DRIFT_REPORTS);

    private DriftTables() {
    }
}
