package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition.of;

import dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition;
import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.util.List;

/**
 * {@code feedback}: one row per {@link FeedbackEvent}. Ordered by metric and request id because the
 * analysis reads one experiment's metrics and joins them by request id. New columns go at the end.
 */
public final class FeedbackTable {

    public static final String NAME = "feedback";

    public static final TableDefinition DEFINITION = new TableDefinition(NAME, List.of(
            ColumnDefinition.withDefault("event_date", "Date", "toDate(event_time)"),
            of("event_time", "DateTime"),
            of("event_time_ms", "UInt64"),
            of("request_id", "String"),
            of("metric", "String"),
            of("value", "Float64"),
            of("received_ms", "UInt64"),
            of("instance_id", "String"),
            of("feedback_id", "String"),
            of("api_key", "String")),
            "ENGINE = MergeTree() PARTITION BY event_date ORDER BY (metric, request_id, event_time)")
            // the shard of the prediction it is about (PredictionsTable)
            .shardedBy("cityHash64(request_id)");

    private FeedbackTable() {}
}
