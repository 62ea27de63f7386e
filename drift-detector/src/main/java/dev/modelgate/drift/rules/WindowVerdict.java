package dev.modelgate.drift.rules;

/** What one evaluation window says. */
public enum WindowVerdict {
    DRIFT,
    NO_DRIFT,
    /** Too little data, or the data could not be read: says nothing either way. */
    UNKNOWN
}
