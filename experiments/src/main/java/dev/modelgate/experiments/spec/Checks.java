package dev.modelgate.experiments.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/** Field checks shared by the spec records; each failure names the field it was given. */
final class Checks {

    /** Variant and experiment names travel in HTTP headers (X-Variant, X-Experiment) and metric labels. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Checks() {
    }

    static String name(String field, String value) {
        if (value == null) {
            throw new SpecValidationException(field, "is required");
        }
        if (!NAME.matcher(value).matches()) {
            throw new SpecValidationException(field,
                    "'" + value + "' must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new SpecValidationException(field, "is required");
        }
        return value;
    }

    /** A percentage in [min, 100] that {@link Percent} can turn into whole basis points. */
    static double percent(String field, double value, double min) {
        if (!(value >= min && value <= 100.0)) {
            throw new SpecValidationException(field, "must be in [" + format(min) + ", 100], got " + format(value));
        }
        if (!Percent.isWholeBasisPoints(value)) {
            throw new SpecValidationException(field, "must be a multiple of 0.01, got " + value);
        }
        return value;
    }

    /** @param fieldOf the field path of the i-th name, e.g. {@code variants[i].name} */
    static void unique(List<String> names, IntFunction<String> fieldOf) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw new SpecValidationException(fieldOf.apply(i), "duplicate variant '" + names.get(i) + "'");
            }
        }
    }

    static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
