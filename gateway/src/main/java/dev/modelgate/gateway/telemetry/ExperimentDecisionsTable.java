package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition.of;

import dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition;
import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.util.List;

/** {@code experiment_decisions}: the audit trail of experiments, one row per {@link ExperimentDecision}. */
public final class ExperimentDecisionsTable {

    public static final String NAME = "experiment_decisions";

    public static final TableDefinition DEFINITION = new TableDefinition(NAME, List.of(
            ColumnDefinition.withDefault("event_date", "Date", "toDate(event_time)"),
            of("event_time", "DateTime"),
            of("event_time_ms", "UInt64"),
            of("decision_id", "String"),
            of("experiment", "String"),
            of("model", "String"),
            of("kind", "String"),
            of("action", "String"),
            of("actor", "String"),
            of("reason", "String"),
            of("evidence", "String"),
            of("old_spec", "String"),
            of("new_spec", "String"),
            of("candidate_weight", "Float64"),
            of("instance_id", "String")),
            "ENGINE = MergeTree() PARTITION BY event_date ORDER BY (experiment, event_time)")
            .shardedBy("cityHash64(experiment)");

    private ExperimentDecisionsTable() {}
}
