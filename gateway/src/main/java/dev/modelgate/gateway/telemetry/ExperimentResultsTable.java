package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition.of;

import dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition;
import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.util.List;

/** {@code experiment_results}: the analysis job's history, one row per {@link ExperimentResultRow}. */
public final class ExperimentResultsTable {

    public static final String NAME = "experiment_results";

    public static final TableDefinition DEFINITION = new TableDefinition(NAME, List.of(
            ColumnDefinition.withDefault("event_date", "Date", "toDate(event_time)"),
            of("event_time", "DateTime"),
            of("event_time_ms", "UInt64"),
            of("run_id", "String"),
            of("experiment", "String"),
            of("metric", "String"),
            of("variant", "String"),
            of("is_control", "UInt8"),
            of("n", "UInt64"),
            of("estimate", "Float64"),
            of("ci_low", "Float64"),
            of("ci_high", "Float64"),
            of("lift", "Float64"),
            of("p_value", "Float64"),
            of("p_value_sequential", "Float64"),
            of("chance_to_beat", "Float64"),
            of("srm_p_value", "Float64"),
            of("decision", "String"),
            of("instance_id", "String")),
            "ENGINE = MergeTree() PARTITION BY event_date ORDER BY (experiment, metric, variant, event_time)")
            .shardedBy("cityHash64(experiment)");

    private ExperimentResultsTable() {}
}
