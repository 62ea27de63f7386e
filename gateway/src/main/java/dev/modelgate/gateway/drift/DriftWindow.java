package dev.modelgate.gateway.drift;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The slice of the prediction log a run compares with the reference: {@code [start, end)}, whole seconds. */
public record DriftWindow(Instant start, Instant end) {

    public DriftWindow {
        if (start == null || end == null || !start.isBefore(end)) {
            throw new IllegalArgumentException("window start must be before end, was " + start + " .. " + end);
        }
    }

    /**
     * The window of {@code length} ending at {@code now}, both ends truncated to the second as event_time is
     * (a fractional {@code window_minutes} starts at the whole second the query reads from).
     */
    public static DriftWindow ending(Instant now, Duration length) {
        Instant end = Instant.ofEpochSecond(now.getEpochSecond() + 1);
        return new DriftWindow(end.minus(length).truncatedTo(ChronoUnit.SECONDS), end);
    }
}
