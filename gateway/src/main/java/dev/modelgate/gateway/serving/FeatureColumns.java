package dev.modelgate.gateway.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the columns of a tensor are named in the prediction log, and therefore in drift reports: a
 * tensor of shape [rows, k, ...] has k... columns per row, named by the variant's {@code feature_names}
 * when they fit, else after the tensor ({@code amount} when it has one column, {@code features[3]}
 * otherwise). The request logger and the drift monitor must agree on these names.
 */
public final class FeatureColumns {

    private FeatureColumns() {}

    public static List<String> names(String tensor, long[] shape, Map<String, List<String>> configured) {
        int columns = perRow(shape);
        List<String> given = configured.get(tensor);
        if (given != null && given.size() == columns) {
            return List.copyOf(given); // no copy when the list is immutable, as the config's are
        }
        List<String> names = new ArrayList<>(columns);
        for (int c = 0; c < columns; c++) {
            names.add(columns == 1 ? tensor : tensor + "[" + c + "]");
        }
        return names;
    }

    /** Elements per row: the product of every dimension after the first (a variable one counts as 1). */
    public static int perRow(long[] shape) {
        long columns = 1;
        for (int i = 1; i < shape.length; i++) {
            columns *= Math.max(1, shape[i]);
        }
        return (int) Math.min(columns, Integer.MAX_VALUE);
    }
}
