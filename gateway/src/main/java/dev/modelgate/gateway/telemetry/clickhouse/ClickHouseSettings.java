package dev.modelgate.gateway.telemetry.clickhouse;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where ClickHouse is and how long one call to it may take.
 *
 * @param url              HTTP endpoint, e.g. {@code http://127.0.0.1:8123}
 * @param database         database holding the ModelGate tables
 * @param operationTimeout bound on any single insert or query, so a slow server cannot stall a caller
 * @param tls              for an {@code https} URL: the CA and the client certificate, as PEM files
 * @param cluster          name of a cluster in the servers' {@code remote_servers}, or empty for one server.
 *                         On a cluster every table {@code T} is a {@code Distributed} table over a
 *                         {@code ReplicatedMergeTree} table {@code T_local} on each node; queries read
 *                         {@code T}, the telemetry writers insert into {@code T_local} of the node they
 *                         talk to (see {@link ClickHouseSchema} and README "ClickHouse cluster")
 */
public record ClickHouseSettings(String url, String user, String password, String database,
                                 Duration operationTimeout, Tls tls, String cluster) {

    /**
     * PEM files for an {@code https} URL; empty strings for what is not set.
     *
     * @param caFile   the CA that signed the server's certificate (default: the JVM's trusted CAs)
     * @param certFile the client certificate, for a server that authenticates clients by certificate
     * @param keyFile  its private key
     */
    public record Tls(String caFile, String certFile, String keyFile) {
        public static final Tls NONE = new Tls("", "", "");
    }

    public ClickHouseSettings(String url, String user, String password, String database, Duration operationTimeout) {
        this(url, user, password, database, operationTimeout, Tls.NONE);
    }

    public ClickHouseSettings(String url, String user, String password, String database, Duration operationTimeout, Tls tls) {
        this(url, user, password, database, operationTimeout, tls, "");
    }

    /** Suffix of the per-node tables under a cluster's {@code Distributed} tables. */
    public static final String LOCAL_SUFFIX = "_local";

    public static final String DEFAULT_URL = "http://127.0.0.1:8123";
    public static final String DEFAULT_DATABASE = "modelgate";
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(5);

    public ClickHouseSettings {
        Objects.requireNonNull(url, "url");
        URI parsed = URI.create(url);
        if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
            throw new IllegalArgumentException("url must be http(s)://host:port, got: " + url);
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        SqlLiterals.identifier("database", database);
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(cluster, "cluster");
        if (!cluster.isEmpty()) {
            SqlLiterals.identifier("cluster", cluster);
        }
        if (operationTimeout.isNegative() || operationTimeout.isZero()) {
            throw new IllegalArgumentException("operationTimeout must be positive, got: " + operationTimeout);
        }
    }

    /** The local default: {@code default} user without password, database {@code modelgate}. */
    public static ClickHouseSettings defaults() {
        return new ClickHouseSettings(DEFAULT_URL, "default", "", DEFAULT_DATABASE, DEFAULT_OPERATION_TIMEOUT);
    }

    public ClickHouseSettings withUrl(String newUrl) {
        return new ClickHouseSettings(newUrl, user, password, database, operationTimeout, tls, cluster);
    }

    public ClickHouseSettings withDatabase(String newDatabase) {
        return new ClickHouseSettings(url, user, password, newDatabase, operationTimeout, tls, cluster);
    }

    public ClickHouseSettings withOperationTimeout(Duration newTimeout) {
        return new ClickHouseSettings(url, user, password, database, newTimeout, tls, cluster);
    }

    public ClickHouseSettings withCluster(String newCluster) {
        return new ClickHouseSettings(url, user, password, database, operationTimeout, tls, newCluster);
    }

    /** Whether the tables live on a cluster (Distributed over ReplicatedMergeTree) rather than one server. */
    public boolean clustered() {
        return !cluster.isEmpty();
    }

    /**
     * The table that inserts of exactly-once writers go to: {@code table} itself on one server, the
     * node's {@code table_local} on a cluster, so that a batch is one block on one shard (see
     * {@link StagedInsert}).
     */
    public String insertTable(String table) {
        return clustered() ? table + LOCAL_SUFFIX : table;
    }

    /** {@code database.table}, validated. */
    public String qualify(String table) {
        return database + "." + SqlLiterals.identifier("table", table);
    }

    @Override
    public String toString() {
        // never print the password
        return "ClickHouseSettings[url=" + url + ", user=" + user + ", database=" + database
                + ", operationTimeout=" + operationTimeout + ", tls=" + tls + ", cluster=" + cluster + "]";
    }
}
