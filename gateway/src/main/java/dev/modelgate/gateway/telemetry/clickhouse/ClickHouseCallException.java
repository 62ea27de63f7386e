package dev.modelgate.gateway.telemetry.clickhouse;

/**
 * A ClickHouse call that did not succeed. {@link #dataRejected()} separates "the server will never
 * accept these bytes" (retrying would block a spool forever) from everything else (down, slow,
 * overloaded, outcome unknown), which is worth retrying.
 */
public final class ClickHouseCallException extends Exception {

    private final boolean dataRejected;

    ClickHouseCallException(String message, Throwable cause, boolean dataRejected) {
        super(message, cause);
        this.dataRejected = dataRejected;
    }

    public boolean dataRejected() {
        return dataRejected;
    }
}
