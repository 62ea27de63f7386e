package dev.modelgate.gateway.telemetry.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the database and tables at start-up and adds columns that newer code declares. Idempotent;
 * safe to run from every replica. 18.16 has no {@code ADD COLUMN IF NOT EXISTS}, hence the read of
 * {@code system.columns} first; a replica racing another one may see "column already exists", which
 * the next start-up resolves.
 */
public final class ClickHouseSchema {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSchema.class);

    private final List<TableDefinition> tables;

    public ClickHouseSchema(List<TableDefinition> tables) {
        this.tables = List.copyOf(tables);
    }

    public void apply(ClickHouseConnection clickHouse) throws ClickHouseCallException {
        String database = clickHouse.settings().database();
        clickHouse.execute("CREATE DATABASE IF NOT EXISTS " + database);
        for (TableDefinition table : tables) {
            clickHouse.execute(table.createIfNotExists(database));
            addMissingColumns(clickHouse, database, table);
        }
    }

    private static void addMissingColumns(ClickHouseConnection clickHouse, String database, TableDefinition table)
            throws ClickHouseCallException {
        Set<String> existing = new HashSet<>();
        for (JsonNode row : clickHouse.query("SELECT name FROM system.columns WHERE database = "
                + SqlLiterals.quote(database) + " AND table = " + SqlLiterals.quote(table.name()))) {
            existing.add(row.path("name").asText());
        }
        for (ColumnDefinition column : table.columns()) {
            if (!existing.contains(column.name())) {
                LOG.info("adding column {} to {}.{}", column.ddl(), database, table.name());
                clickHouse.execute("ALTER TABLE " + database + "." + table.name() + " ADD COLUMN " + column.ddl());
            }
        }
    }
}
