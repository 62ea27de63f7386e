package dev.modelgate.gateway.batch.sink;

import dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition;
import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.util.List;

/**
 * {@code batch_predictions}: one row per scored (or failed) input row of a batch job. Its inputs and
 * outputs have the same layout as {@code predictions} ({@code feature_names}/{@code feature_values},
 * {@code output_names}/{@code output_values}, {@code score}) so the drift and analysis queries run on it
 * unchanged, but it is a table of its own: a nightly job over last year's data must not count as live
 * traffic in the drift monitor, the canary windows or the experiment results.
 */
public final class BatchPredictionsTable {

    public static final String DEFAULT_NAME = "batch_predictions";

    private BatchPredictionsTable() {}

    public static TableDefinition definition(String name) {
        return new TableDefinition(name, List.of(
                ColumnDefinition.of("event_date", "Date"),
                ColumnDefinition.of("event_time", "DateTime"),
                ColumnDefinition.of("job_id", "String"),
                ColumnDefinition.of("chunk", "UInt64"),
                ColumnDefinition.of("row_number", "UInt64"),
                ColumnDefinition.of("row_key", "String"),
                ColumnDefinition.of("unit_id", "String"),
                ColumnDefinition.of("model", "String"),
                ColumnDefinition.of("model_version", "String"),
                ColumnDefinition.of("experiment", "String"),
                ColumnDefinition.of("variant", "String"),
                ColumnDefinition.of("status", "String"),
                ColumnDefinition.of("error", "String"),
                ColumnDefinition.of("score", "Float64"),
                ColumnDefinition.of("output_names", "Array(String)"),
                ColumnDefinition.of("output_values", "Array(Float64)"),
                ColumnDefinition.of("feature_names", "Array(String)"),
                ColumnDefinition.of("feature_values", "Array(Float64)")),
                "ENGINE = MergeTree() PARTITION BY toYYYYMM(event_date) ORDER BY (job_id, chunk, row_number)")
                .shardedBy("cityHash64(job_id, chunk)");
    }
}
