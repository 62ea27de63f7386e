package dev.modelgate.gateway.batch;

/**
 * Consecutive rows of the source, column by column: each row's key and unit id, and the numeric columns
 * the models read, as doubles (a null cell is flagged in {@code nulls} and holds NaN).
 *
 * @param firstRow the position of the first row in the source's order (0-based)
 */
public record RowBlock(long firstRow, int size, String[] keys, String[] units, double[][] values, boolean[][] nulls) {

    public boolean isNull(int column, int row) {
        return nulls[column][row];
    }
}
