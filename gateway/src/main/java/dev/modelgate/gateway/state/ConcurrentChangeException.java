package dev.modelgate.gateway.state;

/** The experiment set kept changing under a write that was computed again each time; the caller may retry. */
public final class ConcurrentChangeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConcurrentChangeException(String message) {
        super(message);
    }
}
