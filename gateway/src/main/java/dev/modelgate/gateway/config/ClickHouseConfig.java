package dev.modelgate.gateway.config;

/** Where events are logged. {@code url} is ClickHouse's HTTP interface, e.g. {@code http://127.0.0.1:8123}. */
public record ClickHouseConfig(String url, String database, String user, String password) {

    @Override
    public String toString() {
        return "ClickHouseConfig[url=" + url + ", database=" + database + ", user=" + user + ", password=***]";
    }
}
