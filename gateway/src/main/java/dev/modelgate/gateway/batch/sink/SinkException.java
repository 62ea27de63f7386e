package dev.modelgate.gateway.batch.sink;

/** Results could not be written (or what was written could not be read back). */
public final class SinkException extends Exception {

    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
