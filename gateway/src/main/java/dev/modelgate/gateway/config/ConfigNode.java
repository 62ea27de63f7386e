package dev.modelgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A read-only view of one object in the YAML tree that knows its own path, so every validation error
 * names the exact key ({@code models.fraud.variants.v1.backend.instances: must be >= 1}). Unknown keys
 * are errors too: a typo must not silently fall back to a default.
 */
final class ConfigNode {

    private final String path;
    private final JsonNode node;

    ConfigNode(String path, JsonNode node) {
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
        if (!this.node.isMissingNode() && !this.node.isNull() && !this.node.isObject()) {
            throw error(path, "must be a mapping");
        }
    }

    static ConfigException error(String path, String message) {
        return new ConfigException((path.isEmpty() ? "config" : path) + ": " + message);
    }

    String path() {
        return path;
    }

    String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    /** Fails on any key not in {@code known}, listing the keys that are allowed. */
    void rejectUnknownKeys(Set<String> known) {
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw error(childPath(key), "unknown key (allowed: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    ConfigNode object(String key) {
        return new ConfigNode(childPath(key), node.get(key));
    }

    /** The entries of a mapping child, in file order. */
    Map<String, ConfigNode> objects(String key) {
        JsonNode child = node.get(key);
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (child == null || child.isNull()) {
            return out;
        }
        if (!child.isObject()) {
            throw error(childPath(key), "must be a mapping");
        }
        child.fields().forEachRemaining(e -> out.put(e.getKey(), new ConfigNode(childPath(key) + "." + e.getKey(), e.getValue())));
        return out;
    }

    String string(String key, String defaultValue) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isValueNode() || value.isBinary()) {
            throw error(childPath(key), "must be a string");
        }
        return value.asText();
    }

    String requiredString(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            throw error(childPath(key), "is required");
        }
        return value;
    }

    long number(String key, long defaultValue, long min, long max) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        long parsed;
        if (value.canConvertToExactIntegral() && value.canConvertToLong()) {
            parsed = value.asLong();
        } else if (value.isTextual() && value.asText().trim().matches("-?\\d+")) {
            parsed = Long.parseLong(value.asText().trim());
        } else {
            throw error(childPath(key), "must be a whole number, got '" + value.asText() + "'");
        }
        if (parsed < min || parsed > max) {
            throw error(childPath(key), "must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    int integer(String key, int defaultValue, int min, int max) {
        return (int) number(key, defaultValue, min, max);
    }

    Duration millis(String key, Duration defaultValue, long minMillis, long maxMillis) {
        return Duration.ofMillis(number(key, defaultValue.toMillis(), minMillis, maxMillis));
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
            return Boolean.parseBoolean(value.asText());
        }
        throw error(childPath(key), "must be true or false");
    }

    /** A list of scalars (e.g. feature names), each converted by {@code parse}. */
    <T> List<T> list(String key, Function<String, T> parse) {
        JsonNode value = node.get(key);
        List<T> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw error(childPath(key), "must be a list");
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isValueNode()) {
                throw error(childPath(key) + "[" + i + "]", "must be a scalar");
            }
            out.add(parse.apply(item.asText()));
        }
        return out;
    }

    /** A list of mappings, e.g. {@code inputs: [{name: x, datatype: FP32, shape: [-1, 4]}]}. */
    List<ConfigNode> objectList(String key) {
        JsonNode value = node.get(key);
        List<ConfigNode> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw error(childPath(key), "must be a list");
        }
        for (int i = 0; i < value.size(); i++) {
            out.add(new ConfigNode(childPath(key) + "[" + i + "]", value.get(i)));
        }
        return out;
    }

    /** The subtree under {@code key} as it is, for values another parser validates. */
    java.util.Optional<JsonNode> raw(String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? java.util.Optional.empty() : java.util.Optional.of(value);
    }

    double decimal(String key, double defaultValue, double min, double max) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        double parsed;
        if (value.isNumber()) {
            parsed = value.asDouble();
        } else if (value.isTextual()) {
            // environment overrides arrive as text
            try {
                parsed = Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                throw error(childPath(key), "must be a number, got '" + value.asText() + "'");
            }
        } else {
            throw error(childPath(key), "must be a number, got '" + value.asText() + "'");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw error(childPath(key), "must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    /** A length of time in minutes, fractions allowed (tests and demos use windows of seconds). */
    Duration minutes(String key, double defaultMinutes, double min, double max) {
        return Duration.ofMillis(Math.round(decimal(key, defaultMinutes, min, max) * 60_000));
    }

    /** A mapping of name → list of strings, e.g. {@code feature_names: {features: [a, b]}}. */
    Map<String, List<String>> stringLists(String key) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        objectsOrLists(key).forEach((name, child) -> out.put(name, List.copyOf(child)));
        return out;
    }

    private Map<String, List<String>> objectsOrLists(String key) {
        JsonNode child = node.get(key);
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (child == null || child.isNull()) {
            return out;
        }
        if (!child.isObject()) {
            throw error(childPath(key), "must be a mapping of name to list");
        }
        ConfigNode wrapper = new ConfigNode(childPath(key), child);
        child.fieldNames().forEachRemaining(name -> out.put(name, wrapper.list(name, s -> s)));
        return out;
    }
}
