package dev.modelgate.gateway.telemetry.batch;

import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns one event into one row of one table, in the encoder's {@link #format()}. The writer makes one
 * instance per thread that offers events and encodes on that thread, so implementations may keep
 * buffers and caches without synchronisation.
 */
public interface RowEncoder<T> {

    /** Unqualified table name. */
    String table();

    /** The layout of the rows {@link #encode} writes; the same for every row. */
    InsertFormat format();

    /**
     * Writes exactly one complete row to {@code out} (including its separator, if the format has one).
     * When it throws, part of the row may have reached {@code out}: the writer cuts it off, and the
     * encoder must start cleanly at the next call.
     */
    void encode(T event, OutputStream out) throws IOException;

    /**
     * A SQL predicate matching exactly this row and cheap to evaluate (partition and primary-key
     * columns first, then the unique id). Used to tell whether a batch whose insert had an unknown
     * outcome already landed, before it is sent again.
     */
    String landedPredicate(T event);
}
