package dev.modelgate.drift.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a {@link ReferenceProfile} to and from nested maps, lists, strings and numbers, which any
 * JSON library writes and reads as is; keeps this module free of a JSON dependency. Reading accepts
 * any {@link Number} type a JSON parser may produce and names the offending field when input is bad.
 */
public final class ProfileMaps {

    static final int FORMAT_VERSION = 1;

    private ProfileMaps() {
    }

    public static Map<String, Object> toMap(ReferenceProfile profile) {
        Map<String, Object> features = new LinkedHashMap<>();
        profile.features().forEach((name, feature) -> features.put(name, featureToMap(feature)));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("features", features);
        return root;
    }

    public static ReferenceProfile fromMap(Map<String, ?> root) {
        long version = longField(root, "formatVersion", "formatVersion");
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("formatVersion " + version + " is not supported (expected " + FORMAT_VERSION + ")");
        }
        Map<String, FeatureProfile> features = new LinkedHashMap<>();
        mapField(root, "features", "features").forEach((name, value) ->
                features.put(name, featureFromMap(asMap(value, "features." + name), "features." + name)));
        return new ReferenceProfile(features);
    }

    private static Map<String, Object> featureToMap(FeatureProfile feature) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", feature.type().name());
        m.put("count", feature.count());
        m.put("missing", feature.missing());
        if (feature instanceof NumericProfile) {
            NumericProfile n = (NumericProfile) feature;
            m.put("mean", n.mean());
            m.put("std", n.std());
            m.put("min", n.min());
            m.put("max", n.max());
            m.put("binEdges", n.binEdges());
            m.put("binCounts", n.binCounts());
            m.put("sample", n.sample());
            Map<String, Long> binary = new LinkedHashMap<>();
            n.binaryValueCounts().forEach((value, count) -> binary.put(Double.toString(value), count));
            m.put("binaryValueCounts", binary);
        } else {
            m.put("categoryCounts", ((CategoricalProfile) feature).categoryCounts());
        }
        return m;
    }

    private static FeatureProfile featureFromMap(Map<String, ?> m, String path) {
        String typeName = String.valueOf(m.get("type"));
        FeatureType type;
        try {
            type = FeatureType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ".type must be NUMERIC or CATEGORICAL, was " + typeName, e);
        }
        long count = longField(m, "count", path);
        long missing = longField(m, "missing", path);
        try {
            if (type == FeatureType.CATEGORICAL) {
                Map<String, Long> counts = new LinkedHashMap<>();
                mapField(m, "categoryCounts", path).forEach((category, c) ->
                        counts.put(category, asLong(c, path + ".categoryCounts." + category)));
                return new CategoricalProfile(count, missing, counts);
            }
            Map<Double, Long> binary = new LinkedHashMap<>();
            mapField(m, "binaryValueCounts", path).forEach((value, c) ->
                    binary.put(parseDouble(value, path + ".binaryValueCounts"), asLong(c, path + ".binaryValueCounts." + value)));
            return new NumericProfile(count, missing, doubleField(m, "mean", path), doubleField(m, "std", path),
                    doubleField(m, "min", path), doubleField(m, "max", path),
                    doubles(m, "binEdges", path), longs(m, "binCounts", path), doubles(m, "sample", path), binary);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, ?> mapField(Map<String, ?> m, String field, String path) {
        return asMap(m.get(field), path + "." + field);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> asMap(Object value, String path) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        return (Map<String, ?>) value;
    }

    private static List<?> listField(Map<String, ?> m, String field, String path) {
        Object value = m.get(field);
        if (!(value instanceof List)) {
            throw new IllegalArgumentException(path + "." + field + " must be an array");
        }
        return (List<?>) value;
    }

    private static List<Double> doubles(Map<String, ?> m, String field, String path) {
        List<Double> out = new ArrayList<>();
        for (Object v : listField(m, field, path)) {
            out.add(asDouble(v, path + "." + field));
        }
        return out;
    }

    private static List<Long> longs(Map<String, ?> m, String field, String path) {
        List<Long> out = new ArrayList<>();
        for (Object v : listField(m, field, path)) {
            out.add(asLong(v, path + "." + field));
        }
        return out;
    }

    private static double doubleField(Map<String, ?> m, String field, String path) {
        return asDouble(m.get(field), path + "." + field);
    }

    private static long longField(Map<String, ?> m, String field, String path) {
        return asLong(m.get(field), path.equals(field) ? field : path + "." + field);
    }

    private static double asDouble(Object value, String path) {
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException(path + " must hold numbers, found " + value);
        }
        return ((Number) value).doubleValue();
    }

    private static long asLong(Object value, String path) {
        double d = asDouble(value, path);
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(path + " must hold whole numbers, found " + value);
        }
        return ((Number) value).longValue();
    }

    private static double parseDouble(String text, String path) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + " keys must be numbers, found '" + text + "'", e);
        }
    }
}
