package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition.of;

import dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition;
import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.util.List;

/**
 * {@code predictions}: one row per {@link PredictionEvent}. DDL in the subset ClickHouse 18.16 and
 * current versions both accept (DESIGN.md §5): DateTime plus a millisecond column instead of
 * DateTime64, parallel arrays instead of Map, no TTL (retention drops partitions). Drift queries read
 * features with {@code ARRAY JOIN feature_names AS n, feature_values AS v}. New columns go at the end.
 */
public final class PredictionsTable {

    public static final String NAME = "predictions";

    public static final TableDefinition DEFINITION = new TableDefinition(NAME, List.of(
            // the gateway's RowBinary rows carry every column; the DEFAULT serves other writers (SQL,
            // JSONEachRow on newer servers: 18.16 ignores DEFAULT for omitted fields, storing 0000-00-00)
            ColumnDefinition.withDefault("event_date", "Date", "toDate(event_time)"),
            of("event_time", "DateTime"),
            of("event_time_ms", "UInt64"),
            of("event_id", "String"),
            of("request_id", "String"),
            of("model", "String"),
            of("model_version", "String"),
            of("experiment", "String"),
            of("assigned_variant", "String"),
            of("served_variant", "String"),
            of("role", "String"),
            of("assignment_reason", "String"),
            of("unit_id", "String"),
            of("status", "UInt16"),
            of("error", "String"),
            of("latency_ms", "Float64"),
            of("backend_latency_ms", "Float64"),
            of("batch_rows", "UInt32"),
            of("feature_names", "Array(String)"),
            of("feature_values", "Array(Float64)"),
            of("output_names", "Array(String)"),
            of("output_values", "Array(Float64)"),
            of("score", "Float64"),
            of("request_json", "String"),
            of("instance_id", "String"),
            of("truncated_fields", "Array(String)"),
            // rows written before gRPC existed were all REST calls
            ColumnDefinition.withDefault("protocol", "String", "'rest'"),
            of("api_key", "String")),
            "ENGINE = MergeTree() PARTITION BY event_date ORDER BY (model, served_variant, event_time)")
            // a request's primary and shadow rows, and its feedback (same key), share a shard
            .shardedBy("cityHash64(request_id)");

    private PredictionsTable() {
    }
}
