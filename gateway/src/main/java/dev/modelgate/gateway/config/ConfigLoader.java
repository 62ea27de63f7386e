package dev.modelgate.gateway.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.inference.djl.DeviceChoice;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration, applies environment overrides, and validates everything before the
 * gateway starts, so a bad key fails start-up with a message that names it instead of failing a
 * request later.
 */
public final class ConfigLoader {

    /** Environment variables that override one key each; addresses and secrets belong here, not in files. */
    public static final Map<String, String> ENV_OVERRIDES = Map.of(
            "MODELGATE_HOST", "server.host",
            "MODELGATE_PORT", "server.port",
            "MODELGATE_ADMIN_TOKEN", "server.admin_token",
            "MODELGATE_INSTANCE_ID", "instance_id",
            "MODELGATE_CLICKHOUSE_URL", "clickhouse.url",
            "MODELGATE_CLICKHOUSE_DATABASE", "clickhouse.database",
            "MODELGATE_CLICKHOUSE_USER", "clickhouse.user",
            "MODELGATE_CLICKHOUSE_PASSWORD", "clickhouse.password",
            "MODELGATE_TELEMETRY_ENABLED", "telemetry.enabled",
            "MODELGATE_SPOOL_DIR", "telemetry.spool_dir");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public GatewayConfig load(Path file) {
        JsonNode tree;
        try {
            tree = yaml.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(tree, base);
    }

    /** Validates a parsed tree; relative paths in it resolve against {@code baseDir}. */
    public GatewayConfig parse(JsonNode tree, Path baseDir) {
        ObjectNode root = tree == null || tree.isNull() || tree.isMissingNode()
                ? JsonNodeFactory.instance.objectNode()
                : requireObject(tree);
        applyEnvironment(root);
        ConfigNode config = new ConfigNode("", root);
        config.rejectUnknownKeys(Set.of("instance_id", "server", "models", "clickhouse", "telemetry"));
        ServerConfig server = server(config.object("server"));
        Map<String, ModelConfig> models = models(config, baseDir, server.requestTimeout());
        return new GatewayConfig(
                config.string("instance_id", defaultInstanceId()),
                server,
                models,
                clickhouse(config.object("clickhouse")),
                telemetry(config.object("telemetry"), baseDir));
    }

    private static ObjectNode requireObject(JsonNode tree) {
        if (!tree.isObject()) {
            throw new ConfigException("config: the top level must be a mapping");
        }
        return ((ObjectNode) tree).deepCopy();
    }

    private void applyEnvironment(ObjectNode root) {
        ENV_OVERRIDES.forEach((variable, key) -> {
            String value = environment.get(variable);
            if (value == null || value.isEmpty()) {
                return;
            }
            String[] parts = key.split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = parent.get(parts[i]);
                parent = child instanceof ObjectNode object ? object : parent.putObject(parts[i]);
            }
            parent.put(parts[parts.length - 1], value);
        });
    }

    private static ServerConfig server(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("host", "port", "max_body_bytes", "request_timeout_ms", "admin_token"));
        return new ServerConfig(
                node.string("host", "0.0.0.0"),
                node.integer("port", 8080, 0, 65535),
                node.number("max_body_bytes", 1 << 20, 1024, 1L << 30),
                node.millis("request_timeout_ms", Duration.ofSeconds(2), 1, 600_000),
                node.string("admin_token", ""));
    }

    private static Map<String, ModelConfig> models(ConfigNode config, Path baseDir, Duration defaultTimeout) {
        Map<String, ConfigNode> nodes = config.objects("models");
        if (nodes.isEmpty()) {
            throw ConfigNode.error("models", "at least one model is required");
        }
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        nodes.forEach((name, node) -> models.put(name, model(name, node, baseDir, defaultTimeout)));
        return models;
    }

    private static ModelConfig model(String name, ConfigNode node, Path baseDir, Duration defaultTimeout) {
        requireName(node.path(), name);
        node.rejectUnknownKeys(Set.of("default_variant", "variants", "timeout_ms", "score_output"));
        Map<String, VariantConfig> variants = new LinkedHashMap<>();
        node.objects("variants").forEach((variant, v) -> variants.put(variant, variant(variant, v, baseDir)));
        if (variants.isEmpty()) {
            throw ConfigNode.error(node.childPath("variants"), "at least one variant is required");
        }
        String defaultVariant = node.string("default_variant", variants.keySet().iterator().next());
        if (!variants.containsKey(defaultVariant)) {
            throw ConfigNode.error(node.childPath("default_variant"),
                    "'" + defaultVariant + "' is not one of the variants " + variants.keySet());
        }
        return new ModelConfig(
                name,
                defaultVariant,
                variants,
                node.millis("timeout_ms", defaultTimeout, 1, 600_000),
                node.string("score_output", ""));
    }

    private static VariantConfig variant(String name, ConfigNode node, Path baseDir) {
        requireName(node.path(), name);
        node.rejectUnknownKeys(Set.of("version", "backend", "feature_names"));
        if (!node.has("backend")) {
            throw ConfigNode.error(node.childPath("backend"), "is required");
        }
        return new VariantConfig(
                name,
                node.string("version", "1"),
                backend(node.object("backend"), baseDir),
                node.stringLists("feature_names"));
    }

    private static BackendConfig backend(ConfigNode node, Path baseDir) {
        String type = node.requiredString("type");
        if (!type.equals(OnnxBackendConfig.TYPE)) {
            throw ConfigNode.error(node.childPath("type"), "unknown backend type '" + type + "' (supported: "
                    + List.of(OnnxBackendConfig.TYPE) + ")");
        }
        node.rejectUnknownKeys(Set.of("type", "path", "instances", "intra_op_threads", "device"));
        Path path = baseDir.resolve(node.requiredString("path")).normalize();
        if (!Files.isRegularFile(path)) {
            throw ConfigNode.error(node.childPath("path"), "no model file at " + path);
        }
        String device = node.string("device", "auto");
        try {
            DeviceChoice.parse(device);
        } catch (IllegalArgumentException e) {
            throw ConfigNode.error(node.childPath("device"), e.getMessage());
        }
        return new OnnxBackendConfig(
                path,
                node.integer("instances", 1, 1, 256),
                node.integer("intra_op_threads", 1, 1, 256),
                device);
    }

    private static ClickHouseConfig clickhouse(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("url", "database", "user", "password"));
        String url = node.string("url", "http://127.0.0.1:8123");
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw ConfigNode.error(node.childPath("url"), "must be an http(s) URL with a host, got '" + url + "'");
            }
        } catch (IllegalArgumentException e) {
            throw ConfigNode.error(node.childPath("url"), "not a URL: '" + url + "'");
        }
        String database = node.string("database", "modelgate");
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw ConfigNode.error(node.childPath("database"), "must be a plain identifier, got '" + database + "'");
        }
        return new ClickHouseConfig(url, database, node.string("user", "default"), node.string("password", ""));
    }

    private static TelemetryConfig telemetry(ConfigNode node, Path baseDir) {
        node.rejectUnknownKeys(Set.of("enabled", "batch_size", "flush_interval_ms", "queue_capacity", "spool_dir",
                "spool_max_bytes", "insert_timeout_ms", "request_json_max_bytes", "max_logged_values"));
        return new TelemetryConfig(
                node.bool("enabled", true),
                node.integer("batch_size", 5_000, 1, 1_000_000),
                node.millis("flush_interval_ms", Duration.ofSeconds(1), 1, 3_600_000),
                node.integer("queue_capacity", 100_000, 1, 100_000_000),
                baseDir.resolve(node.string("spool_dir", ".run/spool")).normalize(),
                node.number("spool_max_bytes", 1L << 30, 0, Long.MAX_VALUE),
                node.millis("insert_timeout_ms", Duration.ofSeconds(5), 1, 600_000),
                node.integer("request_json_max_bytes", 4_096, 0, 1 << 24),
                node.integer("max_logged_values", 1_024, 0, 1 << 20));
    }

    private static void requireName(String path, String name) {
        if (!NAME.matcher(name).matches()) {
            throw ConfigNode.error(path, "name must match " + NAME.pattern());
        }
    }

    private static String defaultInstanceId() {
        // "pid@host", unique per process on a host and readable in logs
        return ManagementFactory.getRuntimeMXBean().getName();
    }
}
