package dev.modelgate.gateway.telemetry.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Turns one event into one JSONEachRow object of one table. Called only from the writer thread, so
 * implementations may keep small caches without synchronisation.
 */
public interface RowEncoder<T> {

    /** Unqualified table name. */
    String table();

    /** Writes exactly one JSON object (no trailing newline). */
    void encode(T event, JsonGenerator json) throws IOException;

    /**
     * A SQL predicate matching exactly this row and cheap to evaluate (partition and primary-key
     * columns first, then the unique id). Used to tell whether a batch whose insert had an unknown
     * outcome already landed, before it is sent again.
     */
    String landedPredicate(T event);
}
