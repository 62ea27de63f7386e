package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition.of;

import dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition;
import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.util.List;

/** {@code admin_audit}: one row per admin API call, refused ones included. New columns go at the end. */
public final class AdminAuditTable {

    public static final String NAME = "admin_audit";

    public static final TableDefinition DEFINITION = new TableDefinition(NAME, List.of(
            ColumnDefinition.withDefault("event_date", "Date", "toDate(event_time)"),
            of("event_time", "DateTime"),
            of("event_time_ms", "UInt64"),
            of("key_name", "String"),
            of("role", "String"),
            of("method", "String"),
            of("path", "String"),
            of("status", "UInt16"),
            of("instance_id", "String"),
            of("audit_id", "String")),
            "ENGINE = MergeTree() PARTITION BY event_date ORDER BY (event_time, key_name)")
            .shardedBy("cityHash64(key_name)");

    private AdminAuditTable() {}
}
