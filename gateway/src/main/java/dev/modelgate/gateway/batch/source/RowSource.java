package dev.modelgate.gateway.batch.source;

import dev.modelgate.gateway.batch.RowBlock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A dataset to score, read in one fixed order: reading it twice yields the same rows in the same order,
 * which is what lets a resumed job recognise the chunks it already wrote.
 */
public interface RowSource extends AutoCloseable {

    /** Column name → the source's type name, in the source's order. */
    Map<String, String> schema() throws SourceException;

    long count() throws SourceException;

    /**
     * Streams the key, the unit id (if any) and {@code columns} (which must be numeric) of every row.
     */
    Reader read(String keyColumn, Optional<String> unitColumn, List<String> columns) throws SourceException;

    @Override
    void close();

    /** Hands out the rows block by block. Not thread-safe. */
    interface Reader extends AutoCloseable {

        /** The next up to {@code maxRows} rows, or null at the end. */
        RowBlock next(int maxRows) throws SourceException;

        @Override
        void close();
    }

    /** Whether a type name (DuckDB or ClickHouse, possibly Nullable) holds numbers a model can take. */
    static boolean numericType(String type) {
        String bare = type.trim();
        if (bare.startsWith("Nullable(") && bare.endsWith(")")) {
            bare = bare.substring("Nullable(".length(), bare.length() - 1);
        }
        return bare.matches("(?i)(u?int(8|16|32|64|128|256)?|u?(tinyint|smallint|integer|bigint|hugeint)|float(32|64)?|double|real"
                + "|decimal.*|numeric.*|bool(ean)?)");
    }
}
