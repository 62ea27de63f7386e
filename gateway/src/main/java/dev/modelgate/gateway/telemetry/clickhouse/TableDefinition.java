package dev.modelgate.gateway.telemetry.clickhouse;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A table the gateway owns. Columns are only ever appended: {@link ClickHouseSchema} adds the ones an
 * existing table lacks, so a new column is a new entry at the end of {@link #columns()}.
 *
 * @param engine everything after the column list, e.g. {@code ENGINE = MergeTree() PARTITION BY ...}
 */
public record TableDefinition(String name, List<ColumnDefinition> columns, String engine) {

    public TableDefinition {
        SqlLiterals.identifier("table name", name);
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + name + " has no columns");
        }
        Set<String> seen = new HashSet<>();
        for (ColumnDefinition column : columns) {
            if (!seen.add(column.name())) {
                throw new IllegalArgumentException("table " + name + " declares column " + column.name() + " twice");
            }
        }
        Objects.requireNonNull(engine, "engine");
        if (engine.isBlank()) {
            throw new IllegalArgumentException("engine of table " + name + " is blank");
        }
    }

    public String createIfNotExists(String database) {
        return "CREATE TABLE IF NOT EXISTS " + database + "." + name + " ("
                + columns.stream().map(ColumnDefinition::ddl).collect(Collectors.joining(", "))
                + ") " + engine;
    }
}
