package dev.modelgate.gateway.config;

/**
 * Where events are logged. {@code url} is ClickHouse's HTTP interface, e.g. {@code http://127.0.0.1:8123},
 * or {@code https://…:8443} with {@code tls} saying which CA to trust and which client certificate to present.
 * {@code cluster} names a cluster of the servers' {@code remote_servers} (empty: one server); see
 * {@link dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings#cluster()}.
 */
public record ClickHouseConfig(String url, String database, String user, String password, ClientTlsConfig tls, String cluster) {

    public ClickHouseConfig(String url, String database, String user, String password) {
        this(url, database, user, password, ClientTlsConfig.DEFAULTS, "");
    }

    public ClickHouseConfig(String url, String database, String user, String password, ClientTlsConfig tls) {
        this(url, database, user, password, tls, "");
    }

    @Override
    public String toString() {
        return "ClickHouseConfig[url=" + url + ", database=" + database + ", user=" + user + ", password=***, tls=" + tls + ", cluster=" + cluster + "]";
    }
}
