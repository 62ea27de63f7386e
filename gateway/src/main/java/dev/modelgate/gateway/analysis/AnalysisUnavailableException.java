package dev.modelgate.gateway.analysis;

/** Results cannot be computed now: ClickHouse is down or slow, or telemetry is disabled. A 503, not a bug. */
public final class AnalysisUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    AnalysisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
