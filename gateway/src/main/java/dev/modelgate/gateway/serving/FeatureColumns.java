package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.telemetry.Utf8;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the columns of a tensor are named in the prediction log, and therefore in drift reports: a
 * tensor of shape [rows, k, ...] has k... columns per row, named by the variant's {@code feature_names}
 * when they fit, else after the tensor ({@code amount} when it has one column, {@code features[3]}
 * otherwise). No name is longer than {@code telemetry.max_name_bytes}: a generated name keeps its
 * {@code [c]} suffix and cuts the tensor name, so the columns of one tensor keep distinct names. The
 * request logger and the drift monitor must agree on these names, so both build them here from the
 * same cap.
 */
public final class FeatureColumns {

    /**
     * The names of one tensor's columns.
     *
     * @param cut whether a name was shortened to the cap
     */
    public record Columns(List<String> names, boolean cut) {}

    /** Generated names of tensors this narrow are made once and kept; wider ones are made when read. */
    private static final int KEPT_MAX_COLUMNS = 256;
    /** Bounds what callers' tensor names can make this keep (a model's own inputs are a handful). */
    private static final int KEPT_MAX_TENSORS = 1_024;

    private final int maxNameBytes;
    private final Map<KeptKey, Columns> kept = new ConcurrentHashMap<>();

    public FeatureColumns(int maxNameBytes) {
        this.maxNameBytes = maxNameBytes;
    }

    public Columns of(String tensor, long[] shape, Map<String, List<String>> configured) {
        int columns = perRow(shape);
        List<String> given = configured.get(tensor);
        if (given != null && given.size() == columns) {
            return configuredNames(given);
        }
        String prefix = Utf8.cut(tensor, columns == 1 ? maxNameBytes : maxNameBytes - suffix(columns - 1).length());
        boolean cut = prefix.length() < tensor.length();
        if (columns == 1) {
            return new Columns(List.of(prefix), cut);
        }
        if (columns > KEPT_MAX_COLUMNS) {
            return new Columns(new Generated(prefix, columns), cut);
        }
        // every logged request of a model without feature_names reads the same dozen names
        KeptKey key = new KeptKey(tensor, columns);
        Columns made = kept.get(key);
        if (made == null) {
            made = new Columns(List.copyOf(new Generated(prefix, columns)), cut);
            if (kept.size() < KEPT_MAX_TENSORS) {
                kept.putIfAbsent(key, made);
            }
        }
        return made;
    }

    /** Elements per row: the product of every dimension after the first (a variable one counts as 1). */
    public static int perRow(long[] shape) {
        long columns = 1;
        for (int i = 1; i < shape.length; i++) {
            columns *= Math.max(1, shape[i]);
        }
        return (int) Math.min(columns, Integer.MAX_VALUE);
    }

    private Columns configuredNames(List<String> given) {
        for (String name : given) {
            if (!Utf8.fits(name, maxNameBytes)) {
                return new Columns(given.stream().map(n -> Utf8.cut(n, maxNameBytes)).toList(), true);
            }
        }
        return new Columns(List.copyOf(given), false); // no copy when the list is immutable, as the config's are
    }

    private record KeptKey(String tensor, int columns) {}

    private static String suffix(int column) {
        return "[" + column + "]";
    }

    /** {@code prefix[c]}, made when read: a request can carry far more columns than are logged. */
    private static final class Generated extends AbstractList<String> implements RandomAccess {

        private final String prefix;
        private final int size;

        Generated(String prefix, int size) {
            this.prefix = prefix;
            this.size = size;
        }

        @Override
        public String get(int index) {
            return prefix + suffix(index);
        }

        @Override
        public int size() {
            return size;
        }

        /**
         * Without making the names: the log's encoder compares each row's names with the last row's, and
         * building a dozen strings per row to find them equal was most of what logging allocated for them.
         */
        @Override
        public boolean equals(Object other) {
            if (other instanceof Generated generated) {
                return size == generated.size && prefix.equals(generated.prefix);
            }
            return super.equals(other);
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }
}
