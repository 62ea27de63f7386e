package dev.modelgate.gateway.telemetry.batch;

import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * One batch read back from the spool.
 *
 * @param table           the qualified table it was meant for
 * @param landedPredicate matches the batch's first row (see {@link RowEncoder#landedPredicate})
 * @param attempted       an insert of it was sent with an unknown outcome: look it up before replaying
 * @param format          how {@code rows} are laid out
 * @param rows            the rows' bytes exactly as they would have been sent
 */
record SpooledBatch(Path file, String table, String batchId, int rowCount, String landedPredicate,
                    boolean attempted, InsertFormat format, byte[] rows) {

    InputStream rowStream() {
        return new ByteArrayInputStream(rows);
    }
}
