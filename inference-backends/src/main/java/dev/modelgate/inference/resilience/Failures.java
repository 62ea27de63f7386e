package dev.modelgate.inference.resilience;

import dev.modelgate.inference.InferenceException;

import java.net.ConnectException;

/** How the policies classify a failed call. */
final class Failures {

    private Failures() {
    }

    /** Errors and timeouts of the backend itself: what a circuit breaker counts and a fallback steps over. */
    static boolean isBackendsFault(Throwable failure) {
        if (failure instanceof InferenceException e) {
            return e.kind() == InferenceException.Kind.BACKEND_FAILURE || e.kind() == InferenceException.Kind.TIMEOUT;
        }
        // anything that is not an InferenceException is a bug or an unmapped failure below us
        return true;
    }

    /** The caller's own fault: no other backend (and no retry) would do better. */
    static boolean isCallersFault(Throwable failure) {
        return failure instanceof InferenceException e && e.kind() == InferenceException.Kind.INVALID_INPUT;
    }

    /**
     * Load shed by a bulkhead (ours or the server's 429): says nothing about the backend's health, so
     * a breaker neither counts it as a failure nor as a success.
     */
    static boolean isLoadShed(Throwable failure) {
        return failure instanceof InferenceException e && e.kind() == InferenceException.Kind.OVERLOADED;
    }

    /**
     * The request never reached the server: the connection could not be made (refused, unreachable,
     * connect timeout). Only such a call is safe to send again.
     */
    static boolean neverReachedServer(Throwable failure) {
        if (!(failure instanceof InferenceException e) || e.kind() != InferenceException.Kind.BACKEND_FAILURE) {
            return false;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
