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
 * @param engine      everything after the column list, starting {@code ENGINE = MergeTree()}, e.g.
 *                    {@code ENGINE = MergeTree() PARTITION BY ...}; on a cluster the same with
 *                    {@code ReplicatedMergeTree}
 * @param shardingKey on a cluster, the expression that picks the shard of a row inserted through the
 *                    Distributed table; a stable one keeps a key's rows together on one shard
 */
public record TableDefinition(String name, List<ColumnDefinition> columns, String engine, String shardingKey) {

    private static final String MERGE_TREE = "ENGINE = MergeTree()";

    /** A table sharded at random on a cluster (rows of one key may be on any shard). */
    public TableDefinition(String name, List<ColumnDefinition> columns, String engine) {
        this(name, columns, engine, "rand()");
    }

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
        if (!engine.startsWith(MERGE_TREE)) {
            throw new IllegalArgumentException("engine of table " + name + " must start with " + MERGE_TREE + ", got: " + engine);
        }
        Objects.requireNonNull(shardingKey, "shardingKey");
        if (shardingKey.isBlank()) {
            throw new IllegalArgumentException("sharding key of table " + name + " is blank");
        }
    }

    /** The same table, sharded by {@code key} on a cluster. */
    public TableDefinition shardedBy(String key) {
        return new TableDefinition(name, columns, engine, key);
    }

    public String createIfNotExists(String database) {
        return "CREATE TABLE IF NOT EXISTS " + database + "." + name + " (" + columnList() + ") " + engine;
    }

    /** The node tables {@code name_local} on every node of the cluster, replicated within each shard. */
    public String createLocalOnCluster(String database, String cluster) {
        String local = localName();
        // {shard} and {replica} are each node's macros; the database is in the path so that two
        // databases on one cluster (or one ZooKeeper) never share a replication log
        String replicated = "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/" + database + "/" + local
                + "', '{replica}')" + engine.substring(MERGE_TREE.length());
        return "CREATE TABLE IF NOT EXISTS " + database + "." + local + " ON CLUSTER " + cluster
                + " (" + columnList() + ") " + replicated;
    }

    /** The table queries read, on every node: all shards' {@code name_local} tables as one. */
    public String createDistributedOnCluster(String database, String cluster) {
        return "CREATE TABLE IF NOT EXISTS " + database + "." + name + " ON CLUSTER " + cluster
                + " (" + columnList() + ") ENGINE = Distributed(" + cluster + ", " + database + ", " + localName()
                + ", " + shardingKey + ")";
    }

    public String localName() {
        return name + ClickHouseSettings.LOCAL_SUFFIX;
    }

    private String columnList() {
        return columns.stream().map(ColumnDefinition::ddl).collect(Collectors.joining(", "));
    }
}
