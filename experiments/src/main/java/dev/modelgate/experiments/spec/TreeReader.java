package dev.modelgate.experiments.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from one object of a parsed YAML/JSON tree (maps, lists, strings, numbers, booleans),
 * reporting type errors with the full path of the field.
 */
final class TreeReader {

    private final Map<?, ?> node;
    private final String path;

    TreeReader(Map<?, ?> node, String path) {
        this.node = node;
        this.path = path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return node.get(key) != null;
    }

    void rejectUnknownKeys(Set<String> allowed, String owner) {
        for (Object key : node.keySet()) {
            if (!(key instanceof String) || !allowed.contains(key)) {
                throw new SpecValidationException(path(String.valueOf(key)),
                        "unknown field for " + owner + "; expected one of " + new TreeSet<>(allowed));
            }
        }
    }

    String string(String key) {
        return optionalString(key).orElseThrow(() -> new SpecValidationException(path(key), "is required"));
    }

    Optional<String> optionalString(String key) {
        Object value = node.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String)) {
            throw wrongType(key, "a string", value);
        }
        return Optional.of((String) value);
    }

    double number(String key) {
        OptionalDouble value = optionalNumber(key);
        if (value.isEmpty()) {
            throw new SpecValidationException(path(key), "is required");
        }
        return value.getAsDouble();
    }

    OptionalDouble optionalNumber(String key) {
        Object value = node.get(key);
        if (value == null) {
            return OptionalDouble.empty();
        }
        if (!(value instanceof Number)) {
            throw wrongType(key, "a number", value);
        }
        return OptionalDouble.of(((Number) value).doubleValue());
    }

    long wholeNumber(String key) {
        OptionalLong value = optionalWholeNumber(key);
        if (value.isEmpty()) {
            throw new SpecValidationException(path(key), "is required");
        }
        return value.getAsLong();
    }

    OptionalLong optionalWholeNumber(String key) {
        OptionalDouble value = optionalNumber(key);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        double number = value.getAsDouble();
        if (number != Math.rint(number) || Math.abs(number) > 1L << 53) {
            throw new SpecValidationException(path(key), "must be a whole number, got " + number);
        }
        return OptionalLong.of((long) number);
    }

    boolean flag(String key) {
        Object value = node.get(key);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean)) {
            throw wrongType(key, "true or false", value);
        }
        return (Boolean) value;
    }

    TreeReader object(String key) {
        Object value = node.get(key);
        if (value == null) {
            throw new SpecValidationException(path(key), "is required");
        }
        if (!(value instanceof Map)) {
            throw wrongType(key, "an object", value);
        }
        return new TreeReader((Map<?, ?>) value, path(key));
    }

    /** Each element read by {@code element}; problems inside an element are reported under {@code key[i]}. */
    <T> List<T> list(String key, ElementReader<T> element) {
        Object value = node.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw wrongType(key, "a list", value);
        }
        List<?> items = (List<?>) value;
        List<T> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path(key) + "[" + i + "]";
            try {
                result.add(element.read(items.get(i), itemPath));
            } catch (SpecValidationException e) {
                throw locate(e, itemPath);
            }
        }
        return result;
    }

    /**
     * Problems found while reading a tree already carry their full path; problems raised by a record
     * constructor name the field relative to the object being built, so they get the object's path.
     */
    static SpecValidationException locate(SpecValidationException e, String objectPath) {
        return e.field().startsWith(objectPath) ? e : e.under(objectPath);
    }

    static TreeReader asObject(Object item, String itemPath) {
        if (!(item instanceof Map)) {
            throw new SpecValidationException(itemPath, "must be an object, got " + describe(item));
        }
        return new TreeReader((Map<?, ?>) item, itemPath);
    }

    static String asString(Object item, String itemPath) {
        if (!(item instanceof String)) {
            throw new SpecValidationException(itemPath, "must be a string, got " + describe(item));
        }
        return (String) item;
    }

    static double asNumber(Object item, String itemPath) {
        if (!(item instanceof Number)) {
            throw new SpecValidationException(itemPath, "must be a number, got " + describe(item));
        }
        return ((Number) item).doubleValue();
    }

    private SpecValidationException wrongType(String key, String expected, Object value) {
        return new SpecValidationException(path(key), "must be " + expected + ", got " + describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        return value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " '" + value + "'";
    }

    @FunctionalInterface
    interface ElementReader<T> {
        T read(Object item, String itemPath);
    }
}
