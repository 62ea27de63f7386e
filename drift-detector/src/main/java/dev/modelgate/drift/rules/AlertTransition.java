package dev.modelgate.drift.rules;

/** The event a window caused, for the caller to send or resolve an alert. */
public enum AlertTransition {
    NONE,
    FIRED,
    RESOLVED
}
