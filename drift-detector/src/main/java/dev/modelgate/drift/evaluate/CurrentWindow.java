package dev.modelgate.drift.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.modelgate.drift.profile.FeatureProfile;
import dev.modelgate.drift.profile.FeatureValues;
import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.drift.profile.ReferenceProfile;

/**
 * The recent values to compare with a reference, read with the reference's feature types. Missing
 * values (null, NaN) are left out; features the reference does not know are ignored.
 */
public final class CurrentWindow {

    private final Map<String, double[]> numeric;
    private final Map<String, List<String>> categorical;

    private CurrentWindow(Map<String, double[]> numeric, Map<String, List<String>> categorical) {
        this.numeric = numeric;
        this.categorical = categorical;
    }

    public static Builder builder(ReferenceProfile reference) {
        return new Builder(reference);
    }

    /** Non-missing values of the feature in this window. */
    public int size(String feature) {
        double[] values = numeric.get(feature);
        if (values != null) {
            return values.length;
        }
        List<String> labels = categorical.get(feature);
        return labels == null ? 0 : labels.size();
    }

    double[] numericValues(String feature) {
        return numeric.getOrDefault(feature, new double[0]).clone();
    }

    List<String> categoricalValues(String feature) {
        return categorical.getOrDefault(feature, List.of());
    }

    /** Accumulates rows; not thread-safe. */
    public static final class Builder {

        private final ReferenceProfile reference;
        private final Map<String, double[]> numeric = new LinkedHashMap<>();
        private final Map<String, Integer> numericSizes = new LinkedHashMap<>();
        private final Map<String, List<String>> categorical = new LinkedHashMap<>();

        private Builder(ReferenceProfile reference) {
            this.reference = reference;
        }

        /** Adds one row: feature name → value, as for the reference. */
        public Builder accept(Map<String, ?> row) {
            row.forEach(this::add);
            return this;
        }

        public Builder add(String feature, Object value) {
            FeatureProfile profile = reference.features().get(feature);
            if (profile == null || FeatureValues.isMissing(value)) {
                return this;
            }
            if (profile instanceof NumericProfile) {
                double v = FeatureValues.numeric(feature, value);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("feature '" + feature + "' must be finite, got " + v);
                }
                appendNumeric(feature, v);
            } else {
                categorical.computeIfAbsent(feature, f -> new ArrayList<>()).add(FeatureValues.category(value));
            }
            return this;
        }

        public CurrentWindow build() {
            Map<String, double[]> numericCopy = new LinkedHashMap<>();
            numeric.forEach((f, values) -> numericCopy.put(f, Arrays.copyOf(values, numericSizes.get(f))));
            Map<String, List<String>> categoricalCopy = new LinkedHashMap<>();
            categorical.forEach((f, values) -> categoricalCopy.put(f, Collections.unmodifiableList(new ArrayList<>(values))));
            return new CurrentWindow(numericCopy, categoricalCopy);
        }

        private void appendNumeric(String feature, double value) {
            int size = numericSizes.getOrDefault(feature, 0);
            double[] values = numeric.computeIfAbsent(feature, f -> new double[64]);
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                numeric.put(feature, values);
            }
            values[size] = value;
            numericSizes.put(feature, size + 1);
        }
    }
}
