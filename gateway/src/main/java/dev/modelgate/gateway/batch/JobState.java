package dev.modelgate.gateway.batch;

import java.util.Locale;

/** Where a job is in its life; {@code failed} and {@code cancelled} jobs can be resumed. */
public enum JobState {
    QUEUED, CHECKING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public static JobState parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
