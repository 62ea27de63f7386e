package dev.modelgate.gateway.batch.source;

import dev.modelgate.gateway.batch.RowBlock;
import java.util.Arrays;

/** Builds blocks from arrays sized for a full block, cutting them to the rows actually read. */
final class Blocks {

    private Blocks() {}

    static RowBlock trimmed(long firstRow, int n, String[] keys, String[] units, double[][] values, boolean[][] nulls) {
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
