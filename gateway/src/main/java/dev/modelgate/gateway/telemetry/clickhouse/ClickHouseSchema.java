package dev.modelgate.gateway.telemetry.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the database and tables at start-up and adds columns that newer code declares. Idempotent;
 * safe to run from every replica. 18.16 has no {@code ADD COLUMN IF NOT EXISTS}, hence the read of
 * {@code system.columns} first; a replica racing another one may see "column already exists", which
 * the next start-up resolves.
 *
 * <p>On a cluster ({@link ClickHouseSettings#cluster()}), each table {@code T} becomes a
 * {@code ReplicatedMergeTree} table {@code T_local} on every node plus a {@code Distributed} table
 * {@code T} over them, both created {@code ON CLUSTER}: the names queries use stay the same. New
 * columns are added to {@code T_local} by {@code ALTER ... ON CLUSTER} and {@code T} is recreated.
 * A statement is sent only for what the node asked lacks, because an {@code ON CLUSTER} statement waits
 * for every node and, with one down, for its timeout; a node that was down runs the statements it
 * missed from the cluster's DDL queue when it comes back.
 */
public final class ClickHouseSchema {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSchema.class);

    private final List<TableDefinition> tables;

    public ClickHouseSchema(List<TableDefinition> tables) {
        this.tables = List.copyOf(tables);
    }

    public void apply(ClickHouseConnection clickHouse) throws ClickHouseCallException {
        ClickHouseSettings settings = clickHouse.settings();
        if (settings.clustered()) {
            applyOnCluster(clickHouse, settings.database(), settings.cluster());
            return;
        }
        String database = settings.database();
        clickHouse.execute("CREATE DATABASE IF NOT EXISTS " + database);
        Map<String, Set<String>> columns = columnsOf(clickHouse, database);
        for (TableDefinition table : tables) {
            clickHouse.execute(table.createIfNotExists(database));
            addMissingColumns(clickHouse, database + "." + table.name(), "", table, columns.getOrDefault(table.name(), Set.of()));
        }
    }

    private void applyOnCluster(ClickHouseConnection clickHouse, String database, String cluster) throws ClickHouseCallException {
        String onCluster = " ON CLUSTER " + cluster;
        if (clickHouse.count("system.databases", "name = " + SqlLiterals.quote(database)) == 0) {
            clickHouse.execute("CREATE DATABASE IF NOT EXISTS " + database + onCluster);
        }
        Map<String, Set<String>> columns = columnsOf(clickHouse, database);
        for (TableDefinition table : tables) {
            // local tables first: a Distributed table over a missing one would fail every read
            Set<String> local = columns.get(table.localName());
            if (local == null) {
                clickHouse.execute(table.createLocalOnCluster(database, cluster));
                local = Set.of();
            }
            Set<String> distributed = columns.get(table.name());
            if (distributed == null) {
                clickHouse.execute(table.createDistributedOnCluster(database, cluster));
                distributed = Set.of();
            }
            addMissingColumns(clickHouse, database + "." + table.localName(), onCluster, table, local);
            if (!distributed.isEmpty() && !distributed.containsAll(names(table))) {
                // 18.16 refuses ALTER ... ON CLUSTER of a table that is not replicated when the cluster's shards
                // are (internal_replication), and a Distributed table holds no rows (inserts are synchronous, see
                // ClickHouseConnection): it is replaced with one that has every column instead
                LOG.info("recreating {}.{}{} with the new columns of {}", database, table.name(), onCluster, table.localName());
                clickHouse.execute("DROP TABLE IF EXISTS " + database + "." + table.name() + onCluster);
                clickHouse.execute(table.createDistributedOnCluster(database, cluster));
            }
        }
    }

    private static Set<String> names(TableDefinition table) {
        Set<String> names = new HashSet<>();
        table.columns().forEach(column -> names.add(column.name()));
        return names;
    }

    /** Column names per table of {@code database} on the node asked (absent: the table does not exist there). */
    private static Map<String, Set<String>> columnsOf(ClickHouseConnection clickHouse, String database) throws ClickHouseCallException {
        Map<String, Set<String>> columns = new HashMap<>();
        for (JsonNode row : clickHouse.query("SELECT table, name FROM system.columns WHERE database = " + SqlLiterals.quote(database))) {
            columns.computeIfAbsent(row.path("table").asText(), t -> new HashSet<>()).add(row.path("name").asText());
        }
        return columns;
    }

    /** Adds the columns {@code existing} lacks; a just-created table has them all, so nothing is sent for it. */
    private static void addMissingColumns(ClickHouseConnection clickHouse, String qualifiedTable, String onCluster,
                                          TableDefinition table, Set<String> existing) throws ClickHouseCallException {
        if (existing.isEmpty()) {
            return;
        }
        for (ColumnDefinition column : table.columns()) {
            if (!existing.contains(column.name())) {
                LOG.info("adding column {} to {}{}", column.ddl(), qualifiedTable, onCluster);
                clickHouse.execute("ALTER TABLE " + qualifiedTable + onCluster + " ADD COLUMN " + column.ddl());
            }
        }
    }
}
