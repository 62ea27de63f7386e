package dev.modelgate.gateway.telemetry.batch;

/** Why an event never reached ClickHouse; the {@code reason} tag of {@code modelgate_events_dropped_total}. */
public enum DropReason {
    /** The in-memory queue was full when the event was offered. */
    QUEUE_FULL("queue_full"),
    /** ClickHouse was unavailable and the disk spool was over its cap. */
    SPOOL_FULL("spool_full"),
    /** ClickHouse was unavailable and the batch could not be written to the spool (disk error). */
    SPOOL_ERROR("spool_error"),
    /** The encoder failed on this event. */
    ENCODE_ERROR("encode_error"),
    /** ClickHouse refused the batch's data itself; the batch is kept in the spool's rejected folder. */
    REJECTED("rejected"),
    /**
     * The writer thread failed (an error it did not expect, such as running out of memory) while it held
     * these rows, and they could not be spooled either. The writer restarts itself.
     */
    WRITER_ERROR("writer_error"),
    /** Offered after {@code close()}. */
    CLOSED("closed");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
