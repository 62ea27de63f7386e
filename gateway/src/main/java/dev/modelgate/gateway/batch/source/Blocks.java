package dev.modelgate.gateway.batch.source;

import dev.modelgate.gateway.batch.RowBlock;
import java.util.Arrays;

/** The arrays of one block as a reader fills them, row by row, up to {@code maxRows}. */
final class Blocks {

    final String[] keys;
    final String[] units;
    final double[][] values;
    final boolean[][] nulls;

    Blocks(int maxRows, int columns) {
        keys = new String[maxRows];
        units = new String[maxRows];
        values = new double[columns][maxRows];
        nulls = new boolean[columns][maxRows];
    }

    /** A null cell: flagged, and NaN as its value. */
    void missing(int column, int row) {
        nulls[column][row] = true;
        values[column][row] = Double.NaN;
    }

    /** The first {@code n} rows as a block, or null when none was read (the end of the source). */
    RowBlock block(long firstRow, int n) {
        if (n == 0) {
            return null;
        }
        if (n == keys.length) {
            return new RowBlock(firstRow, n, keys, units, values, nulls);
        }
        double[][] v = new double[values.length][];
        boolean[][] z = new boolean[nulls.length][];
        for (int c = 0; c < values.length; c++) {
            v[c] = Arrays.copyOf(values[c], n);
            z[c] = Arrays.copyOf(nulls[c], n);
        }
        return new RowBlock(firstRow, n, Arrays.copyOf(keys, n), Arrays.copyOf(units, n), v, z);
    }
}
