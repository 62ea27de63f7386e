package dev.modelgate.gateway.batch.source;

/** The source could not be read: a missing file, a failing query, a cell that is not a number. */
public final class SourceException extends Exception {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
