package dev.modelgate.gateway.telemetry.clickhouse;

import java.util.Objects;

/**
 * One column of a ClickHouse table.
 *
 * @param defaultExpression SQL for {@code DEFAULT ...}, or empty for none
 */
public record ColumnDefinition(String name, String type, String defaultExpression) {

    public ColumnDefinition {
        SqlLiterals.identifier("column name", name);
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) {
            throw new IllegalArgumentException("type of column " + name + " is blank");
        }
        Objects.requireNonNull(defaultExpression, "defaultExpression");
    }

    public static ColumnDefinition of(String name, String type) {
        return new ColumnDefinition(name, type, "");
    }

    public static ColumnDefinition withDefault(String name, String type, String defaultExpression) {
        return new ColumnDefinition(name, type, defaultExpression);
    }

    /** The column as written in CREATE TABLE and ALTER TABLE ADD COLUMN. */
    public String ddl() {
        return defaultExpression.isEmpty() ? name + " " + type : name + " " + type + " DEFAULT " + defaultExpression;
    }
}
