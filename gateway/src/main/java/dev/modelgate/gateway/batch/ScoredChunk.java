package dev.modelgate.gateway.batch;

import java.util.List;

/**
 * One chunk after scoring: for each row of {@code rows}, the variant that scored it, its score and
 * outputs, or the error that kept it from being scored.
 *
 * @param index        the chunk's number: rows [index × chunk_rows, (index + 1) × chunk_rows) of the source
 * @param variantOf    position of the row's variant in {@link #variants()}
 * @param outputNames  per variant, the names of the flattened outputs (null for a variant that scored nothing)
 * @param errors       null for a scored row
 */
public record ScoredChunk(long index, RowBlock rows, List<VariantInputs> variants, String experiment, int[] variantOf,
                          double[] scores, double[][] outputs, List<String>[] outputNames, String[] errors) {

    public long failed() {
        long failed = 0;
        for (String error : errors) {
            if (error != null) {
                failed++;
            }
        }
        return failed;
    }

    public String variantName(int row) {
        return variants.get(variantOf[row]).variant().name();
    }

    public String modelVersion(int row) {
        return variants.get(variantOf[row]).variant().config().version();
    }

    /** The row's inputs as logged: {@link VariantInputs#featureNames()} of its variant. */
    public List<String> featureNames(int row) {
        return variants.get(variantOf[row]).featureNames();
    }

    /** The columns of {@link RowBlock#values()} behind {@link #featureNames(int)}, in the same order. */
    public int[] featureColumns(int row) {
        return variants.get(variantOf[row]).featureColumns();
    }

    public double[] featureValues(int row) {
        int[] columns = variants.get(variantOf[row]).featureColumns();
        double[] values = new double[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = rows.values()[columns[i]][row];
        }
        return values;
    }
}
