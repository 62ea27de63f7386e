package dev.modelgate.gateway.batch;

import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.serving.Variant;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one variant's inputs are filled from source columns: for each model input, the columns that
 * become its [rows, k] tensor, and the names its columns have in telemetry and drift (the same
 * {@link FeatureColumns} rule the request log uses).
 */
public final class VariantInputs {

    record Input(String name, DataType datatype, int rank, int[] columns) {}

    private final Variant variant;
    private final List<Input> inputs;
    private final List<String> featureNames;
    private final int[] featureColumns;

    private VariantInputs(Variant variant, List<Input> inputs, List<String> featureNames, int[] featureColumns) {
        this.variant = variant;
        this.inputs = inputs;
        this.featureNames = featureNames;
        this.featureColumns = featureColumns;
    }

    /**
     * @param mapping  input → column names from the job spec; empty = the variant's {@code feature_names}
     * @param columns  the columns read from the source, in order; columns this variant needs are added
     * @throws IllegalArgumentException naming the input that cannot be filled
     */
    static VariantInputs resolve(Variant variant, Map<String, List<String>> mapping, List<String> columns, FeatureColumns names) {
        Map<String, List<String>> given = mapping.isEmpty() ? variant.config().featureNames() : mapping;
        List<Input> inputs = new ArrayList<>();
        List<String> featureNames = new ArrayList<>();
        List<Integer> featureColumns = new ArrayList<>();
        for (TensorSpec spec : variant.backend().metadata().inputs()) {
            List<String> source = given.get(spec.name());
            if (source == null || source.isEmpty()) {
                throw new IllegalArgumentException("variant '" + variant.name() + "': no columns for model input '" + spec.name()
                        + "' (name them under inputs." + spec.name() + ", or give the variant feature_names)");
            }
            long[] shape = spec.shape();
            if (shape.length < 1 || shape.length > 2 || (shape.length == 1 && source.size() != 1)
                    || (shape.length == 2 && shape[1] >= 0 && shape[1] != source.size())) {
                throw new IllegalArgumentException("variant '" + variant.name() + "': model input '" + spec + "' cannot take "
                        + source.size() + " column(s) per row " + source);
            }
            if (spec.datatype() == DataType.BYTES) {
                throw new IllegalArgumentException("variant '" + variant.name() + "': model input '" + spec.name()
                        + "' takes BYTES; batch jobs feed numeric columns");
            }
            int[] indexes = new int[source.size()];
            for (int i = 0; i < indexes.length; i++) {
                int index = columns.indexOf(source.get(i));
                if (index < 0) {
                    columns.add(source.get(i));
                    index = columns.size() - 1;
                }
                indexes[i] = index;
                featureColumns.add(index);
            }
            inputs.add(new Input(spec.name(), spec.datatype(), shape.length, indexes));
            featureNames.addAll(names.of(spec.name(), new long[] {-1, indexes.length}, variant.config().featureNames()).names());
        }
        return new VariantInputs(variant, List.copyOf(inputs), List.copyOf(featureNames),
                featureColumns.stream().mapToInt(Integer::intValue).toArray());
    }

    Variant variant() {
        return variant;
    }

    /** Every input column, named as telemetry and drift name them. */
    List<String> featureNames() {
        return featureNames;
    }

    /** The source column behind each of {@link #featureNames()}. */
    int[] featureColumns() {
        return featureColumns;
    }

    /** The input tensors of {@code rows} (positions in {@code block}), in the model's element types. */
    List<Tensor> tensors(RowBlock block, int[] rows, int count) {
        List<Tensor> tensors = new ArrayList<>(inputs.size());
        for (Input input : inputs) {
            int k = input.columns().length;
            long[] shape = input.rank() == 1 ? new long[] {count} : new long[] {count, k};
            tensors.add(new Tensor(input.name(), input.datatype(), shape, fill(input, block, rows, count)));
        }
        return tensors;
    }

    private static Object fill(Input input, RowBlock block, int[] rows, int count) {
        int[] columns = input.columns();
        int k = columns.length;
        double[][] values = block.values();
        switch (input.datatype()) {
            case FP32, FP16 -> {
                float[] out = new float[count * k];
                for (int r = 0; r < count; r++) {
                    int row = rows[r];
                    for (int c = 0; c < k; c++) {
                        out[r * k + c] = (float) values[columns[c]][row];
                    }
                }
                return out;
            }
            case FP64 -> {
                double[] out = new double[count * k];
                for (int r = 0; r < count; r++) {
                    for (int c = 0; c < k; c++) {
                        out[r * k + c] = values[columns[c]][rows[r]];
                    }
                }
                return out;
            }
            default -> {
                Object out = java.lang.reflect.Array.newInstance(input.datatype().storage().getComponentType(), count * k);
                for (int r = 0; r < count; r++) {
                    for (int c = 0; c < k; c++) {
                        set(out, r * k + c, values[columns[c]][rows[r]]);
                    }
                }
                return out;
            }
        }
    }

    private static void set(Object array, int i, double value) {
        if (array instanceof long[] a) {
            a[i] = (long) value;
        } else if (array instanceof int[] a) {
            a[i] = (int) value;
        } else if (array instanceof short[] a) {
            a[i] = (short) value;
        } else if (array instanceof byte[] a) {
            a[i] = (byte) value;
        } else if (array instanceof boolean[] a) {
            a[i] = value != 0;
        } else {
            throw new IllegalArgumentException("unsupported element type " + array.getClass().getSimpleName());
        }
    }
}
