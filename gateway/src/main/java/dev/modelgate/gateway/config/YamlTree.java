package dev.modelgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The configuration file as a JSON tree, composed by SnakeYAML so that anchors, aliases and merge keys
 * ({@code <<: *defaults}) work as YAML defines them, and so that a key written twice in one mapping is
 * an error naming its path and lines instead of the last one silently winning (a second
 * {@code admin_token: ''} would close the admin API). Scalars are typed by SnakeYAML's (YAML 1.1)
 * resolver; anything that is not a plain number, boolean or null stays text.
 */
final class YamlTree {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Deeper than any configuration; reached only through an alias that contains itself. */
    private static final int MAX_DEPTH = 64;
    private static final String MERGE_KEY = "<<";

    private YamlTree() {}

    /** @param source names the file in error messages */
    static JsonNode parse(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        // aliases expand as they are read here: SnakeYAML's cap (50 per document) bounds a "billion laughs"
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
        }
        return root == null ? JSON.nullNode() : convert(root, "", 0);
    }

    private static JsonNode convert(Node node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw ConfigNode.error(path, "nested more than " + MAX_DEPTH + " levels deep (an alias that contains itself?)");
        }
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar);
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JSON.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                array.add(convert(items.get(i), path + "[" + i + "]", depth + 1));
            }
            return array;
        }
        return mapping((MappingNode) node, path, depth);
    }

    /** Keys written here win over merged ones; of several merged mappings, the first that has a key gives it. */
    private static ObjectNode mapping(MappingNode node, String path, int depth) {
        Map<String, Node> written = new HashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            if (isMerge(tuple)) {
                continue;
            }
            String key = key(tuple.getKeyNode(), path);
            Node earlier = written.putIfAbsent(key, tuple.getKeyNode());
            if (earlier != null) {
                throw ConfigNode.error(child(path, key), "duplicated key (lines " + line(earlier) + " and "
                        + line(tuple.getKeyNode()) + "): a key may appear once per mapping");
            }
        }
        ObjectNode object = JSON.objectNode();
        for (NodeTuple tuple : node.getValue()) {
            if (isMerge(tuple)) {
                for (Node source : mergeSources(tuple.getValueNode(), path)) {
                    mapping((MappingNode) source, path, depth + 1).fields().forEachRemaining(field -> {
                        if (!written.containsKey(field.getKey()) && !object.has(field.getKey())) {
                            object.set(field.getKey(), field.getValue());
                        }
                    });
                }
            } else {
                String key = key(tuple.getKeyNode(), path);
                object.set(key, convert(tuple.getValueNode(), child(path, key), depth + 1));
            }
        }
        return object;
    }

    private static boolean isMerge(NodeTuple tuple) {
        return tuple.getKeyNode() instanceof ScalarNode key && Tag.MERGE.equals(key.getTag()) && MERGE_KEY.equals(key.getValue());
    }

    private static List<Node> mergeSources(Node value, String path) {
        List<Node> sources = new ArrayList<>();
        if (value instanceof MappingNode) {
            sources.add(value);
        } else if (value instanceof SequenceNode sequence && sequence.getValue().stream().allMatch(MappingNode.class::isInstance)) {
            sources.addAll(sequence.getValue());
        } else {
            throw ConfigNode.error(child(path, MERGE_KEY), "a merge key takes a mapping or a list of mappings (line " + line(value) + ")");
        }
        return sources;
    }

    private static String key(Node key, String path) {
        if (!(key instanceof ScalarNode scalar)) {
            throw ConfigNode.error(path, "keys must be plain scalars (line " + line(key) + ")");
        }
        return scalar.getValue();
    }

    private static JsonNode scalar(ScalarNode scalar) {
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return JSON.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            String lower = value.toLowerCase(Locale.ROOT);
            return JSON.booleanNode(lower.equals("true") || lower.equals("yes") || lower.equals("on"));
        }
        String plain = value.replace("_", "");
        if (Tag.INT.equals(tag) && plain.matches("[-+]?\\d+")) {
            BigInteger number = new BigInteger(plain.startsWith("+") ? plain.substring(1) : plain);
            return number.bitLength() < 64 ? JSON.numberNode(number.longValue()) : JSON.numberNode(number);
        }
        if (Tag.FLOAT.equals(tag) && plain.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            return JSON.numberNode(Double.parseDouble(plain));
        }
        return JSON.textNode(value);
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
