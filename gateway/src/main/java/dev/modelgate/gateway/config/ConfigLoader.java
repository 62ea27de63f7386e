package dev.modelgate.gateway.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.drift.evaluate.DriftMethod;
import dev.modelgate.drift.evaluate.DriftSettings;
import dev.modelgate.drift.evaluate.MethodChoice;
import dev.modelgate.experiments.spec.ExperimentSpec;
import dev.modelgate.experiments.spec.SpecParser;
import dev.modelgate.experiments.spec.SpecValidationException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    public static final Map<String, String> ENV_OVERRIDES = Map.ofEntries(
            Map.entry("MODELGATE_HOST", "server.host"),
            Map.entry("MODELGATE_PORT", "server.port"),
            Map.entry("MODELGATE_GRPC_PORT", "server.grpc_port"),
            Map.entry("MODELGATE_ADMIN_TOKEN", "server.admin_token"),
            Map.entry("MODELGATE_INSTANCE_ID", "instance_id"),
            Map.entry("MODELGATE_CLICKHOUSE_URL", "clickhouse.url"),
            Map.entry("MODELGATE_CLICKHOUSE_DATABASE", "clickhouse.database"),
            Map.entry("MODELGATE_CLICKHOUSE_USER", "clickhouse.user"),
            Map.entry("MODELGATE_CLICKHOUSE_PASSWORD", "clickhouse.password"),
            Map.entry("MODELGATE_CLICKHOUSE_CLUSTER", "clickhouse.cluster"),
            Map.entry("MODELGATE_TELEMETRY_ENABLED", "telemetry.enabled"),
            Map.entry("MODELGATE_SPOOL_DIR", "telemetry.spool_dir"),
            Map.entry("MODELGATE_WAL_DIR", "telemetry.wal_dir"),
            Map.entry("MODELGATE_DURABILITY", "telemetry.durability"),
            Map.entry("MODELGATE_REDIS_URL", "state.redis_url"),
            Map.entry("MODELGATE_REDIS_PASSWORD", "state.redis_password"),
            Map.entry("MODELGATE_STATE_STORE", "state.store"),
            Map.entry("MODELGATE_ALERTMANAGER_URL", "alerts.alertmanager_url"));

    private static final ObjectMapper SPEC_READER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> SPEC_TREE = new TypeReference<>() {};

    /** A short key can be guessed, and with it every value of a low-cardinality hashed feature read back. */
    private static final int MIN_SALT_LENGTH = 16;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode tree = YamlTree.parse(text, file.toString());
        Path base = file.toAbsolutePath().getParent();
        return parse(tree, base);
    }

    /** Validates a parsed tree; relative paths in it resolve against {@code baseDir}. */
    public GatewayConfig parse(JsonNode tree, Path baseDir) {
        ObjectNode root = tree == null || tree.isNull() || tree.isMissingNode()
                ? JsonNodeFactory.instance.objectNode()
                : requireObject(tree);
        applyEnvironment(root);
        new SecretValues(environment, baseDir).resolve(root, "");
        ConfigNode config = new ConfigNode("", root);
        config.rejectUnknownKeys(Set.of("instance_id", "server", "models", "clickhouse", "telemetry", "drift", "alerts",
                "state", "experiments", "quality", "privacy", "auth"));
        ServerConfig server = server(config.object("server"), baseDir);
        Map<String, ModelConfig> models = models(config, baseDir, server.requestTimeout());
        AuthConfig auth = AuthConfigReader.auth(config.object("auth"), models.keySet(), baseDir);
        return new GatewayConfig(
                config.string("instance_id", defaultInstanceId()),
                server,
                models,
                clickhouse(config.object("clickhouse"), baseDir),
                telemetry(config.object("telemetry"), baseDir),
                drift(config.object("drift")),
                alerts(config.object("alerts"), root.path("alerts").path("webhooks")),
                state(config.object("state"), baseDir),
                experiments(config.object("experiments"), root.path("experiments").path("specs")),
                QualityConfigReader.monitor(config.object("quality")),
                privacy(config.object("privacy"), models),
                auth);
    }

    private static PrivacyConfig privacy(ConfigNode node, Map<String, ModelConfig> models) {
        node.rejectUnknownKeys(Set.of("hash_salt"));
        String salt = node.string("hash_salt", "");
        for (ModelConfig model : models.values()) {
            for (var feature : model.featureLogging().entrySet()) {
                if (feature.getValue() == FeatureLogging.HASH && salt.length() < MIN_SALT_LENGTH) {
                    throw ConfigNode.error(node.childPath("hash_salt"), "must be set, at least " + MIN_SALT_LENGTH
                            + " characters, when a feature is logged as a hash (models." + model.name() + ".features."
                            + feature.getKey() + ".log); give it as hash_salt_file or hash_salt_env");
                }
            }
        }
        return new PrivacyConfig(salt);
    }

    private static Map<String, FeatureLogging> featureLogging(ConfigNode model) {
        Map<String, FeatureLogging> logging = new LinkedHashMap<>();
        model.objects("features").forEach((feature, node) -> {
            node.rejectUnknownKeys(Set.of("log"));
            String mode = node.string("log", "keep");
            switch (mode) {
                case "keep", "hash", "redact", "drop" -> logging.put(feature, FeatureLogging.valueOf(mode.toUpperCase(Locale.ROOT)));
                default -> throw ConfigNode.error(node.childPath("log"), "must be keep, hash, redact or drop, got '" + mode + "'");
            }
        });
        return logging;
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
            // the environment wins over the file however the file gives the key
            parent.remove(parts[parts.length - 1] + "_file");
            parent.remove(parts[parts.length - 1] + "_env");
        });
    }

    private static ServerConfig server(ConfigNode node, Path baseDir) {
        node.rejectUnknownKeys(Set.of("host", "port", "max_body_bytes", "max_upload_bytes", "request_timeout_ms", "admin_token",
                "idle_timeout_ms", "request_read_timeout_ms", "max_connections", "grpc_port", "grpc_max_message_bytes", "tls"));
        ConnectionLimits defaults = ConnectionLimits.DEFAULTS;
        return new ServerConfig(
                node.string("host", "0.0.0.0"),
                node.integer("port", 8080, 0, 65535),
                node.number("max_body_bytes", 1 << 20, 1024, 1L << 30),
                node.number("max_upload_bytes", 64L << 20, 1024, 1L << 30),
                node.millis("request_timeout_ms", Duration.ofSeconds(2), 1, 600_000),
                node.string("admin_token", ""),
                new ConnectionLimits(
                        node.millis("idle_timeout_ms", defaults.idleTimeout(), 100, 3_600_000),
                        node.millis("request_read_timeout_ms", defaults.requestReadTimeout(), 100, 3_600_000),
                        node.integer("max_connections", defaults.maxConnections(), 1, 1_000_000)),
                new ServerConfig.GrpcListener(
                        node.integer("grpc_port", ServerConfig.GrpcListener.OFF.port(), -1, 65535),
                        node.number("grpc_max_message_bytes", ServerConfig.GrpcListener.OFF.maxMessageBytes(), 1024, 1L << 30)),
                TlsConfigReader.server(node, baseDir));
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
        node.rejectUnknownKeys(Set.of("default_variant", "variants", "timeout_ms", "score_output", "fallback", "default_response",
                "quality", "features"));
        Duration timeout = node.millis("timeout_ms", defaultTimeout, 1, 600_000);
        Map<String, VariantConfig> variants = new LinkedHashMap<>();
        node.objects("variants").forEach((variant, v) -> variants.put(variant, variant(name, variant, v, baseDir, timeout)));
        if (variants.isEmpty()) {
            throw ConfigNode.error(node.childPath("variants"), "at least one variant is required");
        }
        String defaultVariant = node.string("default_variant", variants.keySet().iterator().next());
        if (!variants.containsKey(defaultVariant)) {
            throw ConfigNode.error(node.childPath("default_variant"),
                    "'" + defaultVariant + "' is not one of the variants " + variants.keySet());
        }
        List<String> fallback = node.has("fallback") ? node.list("fallback", v -> v) : List.of(defaultVariant);
        for (String variant : fallback) {
            if (!variants.containsKey(variant)) {
                throw ConfigNode.error(node.childPath("fallback"), "'" + variant + "' is not one of the variants " + variants.keySet());
            }
        }
        return new ModelConfig(name, defaultVariant, variants, timeout, node.string("score_output", ""), fallback,
                node.raw("default_response"), QualityConfigReader.spec(node), featureLogging(node));
    }

    private static VariantConfig variant(String model, String name, ConfigNode node, Path baseDir, Duration modelTimeout) {
        requireName(node.path(), name);
        node.rejectUnknownKeys(Set.of("version", "backend", "feature_names", "batching", "resilience"));
        if (!node.has("backend")) {
            throw ConfigNode.error(node.childPath("backend"), "is required");
        }
        ConfigNode backend = node.object("backend");
        return new VariantConfig(
                name,
                node.string("version", "1"),
                BackendConfigReader.backend(backend, baseDir, model),
                node.stringLists("feature_names"),
                BackendConfigReader.batching(node, BackendConfigReader.instances(backend)),
                BackendConfigReader.resilience(node, modelTimeout));
    }

    private static ClickHouseConfig clickhouse(ConfigNode node, Path baseDir) {
        node.rejectUnknownKeys(Set.of("url", "database", "user", "password", "tls", "cluster"));
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
        String cluster = node.string("cluster", "");
        if (!cluster.isEmpty() && !cluster.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw ConfigNode.error(node.childPath("cluster"), "must be a plain identifier (a cluster of the servers' remote_servers), got '"
                    + cluster + "'");
        }
        return new ClickHouseConfig(url, database, node.string("user", "default"), node.string("password", ""),
                TlsConfigReader.client(node, baseDir, url.startsWith("https://"), "url"), cluster);
    }

    private static TelemetryConfig telemetry(ConfigNode node, Path baseDir) {
        node.rejectUnknownKeys(Set.of("enabled", "durability", "wal_dir", "wal_fsync_interval_ms", "batch_size",
                "batch_max_bytes", "flush_interval_ms", "queue_capacity", "queue_max_bytes", "spool_dir", "spool_max_bytes",
                "insert_timeout_ms", "replay_backoff_min_ms", "replay_backoff_max_ms", "stall_timeout_ms",
                "request_json_max_bytes", "max_logged_values", "max_name_bytes", "max_error_bytes", "max_row_bytes"));
        Duration backoffMin = node.millis("replay_backoff_min_ms", Duration.ofMillis(200), 1, 3_600_000);
        Duration backoffMax = node.millis("replay_backoff_max_ms", Duration.ofSeconds(30), 1, 3_600_000);
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw ConfigNode.error(node.childPath("replay_backoff_max_ms"), "must not be shorter than replay_backoff_min_ms");
        }
        return new TelemetryConfig(
                node.bool("enabled", true),
                durability(node),
                baseDir.resolve(node.string("wal_dir", ".run/wal")).normalize(),
                node.millis("wal_fsync_interval_ms", Duration.ZERO, 0, 3_600_000),
                node.integer("batch_size", 50_000, 1, 1_000_000),
                node.number("batch_max_bytes", 16L << 20, 1 << 10, 1L << 30),
                node.millis("flush_interval_ms", Duration.ofSeconds(1), 1, 3_600_000),
                node.integer("queue_capacity", 100_000, 1, 100_000_000),
                node.number("queue_max_bytes", 256L << 20, 1 << 10, Long.MAX_VALUE),
                baseDir.resolve(node.string("spool_dir", ".run/spool")).normalize(),
                node.number("spool_max_bytes", 1L << 30, 0, Long.MAX_VALUE),
                node.millis("insert_timeout_ms", Duration.ofSeconds(5), 1, 600_000),
                backoffMin,
                backoffMax,
                node.millis("stall_timeout_ms", Duration.ofSeconds(30), 1, 3_600_000),
                new RowCaps(
                        // a name needs room for its "[column]" suffix
                        node.integer("max_name_bytes", 128, 16, 1 << 16),
                        node.integer("max_error_bytes", 1_024, 64, 1 << 20),
                        node.integer("request_json_max_bytes", 4_096, 0, 1 << 24),
                        node.integer("max_logged_values", 1_024, 0, 1 << 20),
                        node.integer("max_row_bytes", 65_536, 1_024, 1 << 26)));
    }

    private static TelemetryConfig.Durability durability(ConfigNode node) {
        String value = node.string("durability", "wal");
        return switch (value) {
            case "wal" -> TelemetryConfig.Durability.WAL;
            case "async" -> TelemetryConfig.Durability.ASYNC;
            default -> throw ConfigNode.error(node.childPath("durability"), "must be wal or async, got '" + value + "'");
        };
    }

    private static DriftConfig drift(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("enabled", "interval_seconds", "window_minutes", "min_samples", "fire_after",
                "resolve_after", "share_threshold", "sample_rows", "methods", "query_timeout_seconds"));
        Map<String, MethodChoice> methods = new LinkedHashMap<>();
        node.objects("methods").forEach((feature, choice) -> methods.put(feature, methodChoice(choice)));
        String shareKey = node.childPath("share_threshold");
        double share = node.decimal("share_threshold", DriftSettings.DEFAULT_DRIFT_SHARE, -Double.MAX_VALUE, Double.MAX_VALUE);
        if (!(share > 0 && share <= 1)) {
            throw ConfigNode.error(shareKey, "must be in (0, 1], got " + share);
        }
        return new DriftConfig(
                node.bool("enabled", true),
                Duration.ofSeconds(node.number("interval_seconds", 300, 1, 86_400)),
                windowLength(node),
                node.number("min_samples", 100, 1, Long.MAX_VALUE),
                node.integer("fire_after", 2, 1, 1_000),
                node.integer("resolve_after", 2, 1, 1_000),
                share,
                node.integer("sample_rows", 5_000, DriftSettings.DEFAULT_SMALL_SAMPLE_LIMIT, 1_000_000),
                methods,
                Duration.ofSeconds(node.number("query_timeout_seconds", 60, 1, 3_600)));
    }

    /** Whole minutes in production; fractions (down to 3 s) let tests and demos see windows move quickly. */
    private static Duration windowLength(ConfigNode node) {
        double minutes = node.decimal("window_minutes", 60, -Double.MAX_VALUE, Double.MAX_VALUE);
        if (!(minutes >= 0.05 && minutes <= 44_640)) {
            throw ConfigNode.error(node.childPath("window_minutes"), "must be between 0.05 and 44640, got " + minutes);
        }
        return Duration.ofMillis(Math.round(minutes * 60_000));
    }

    private static MethodChoice methodChoice(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("method", "threshold"));
        String name = node.requiredString("method");
        DriftMethod method;
        try {
            method = DriftMethod.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigNode.error(node.childPath("method"), "unknown method '" + name + "' (supported: "
                    + Arrays.toString(DriftMethod.values()).toLowerCase(Locale.ROOT) + ")");
        }
        try {
            return new MethodChoice(method, node.decimal("threshold", method.defaultThreshold(), -Double.MAX_VALUE, Double.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw ConfigNode.error(node.childPath("threshold"), e.getMessage());
        }
    }

    private static AlertsConfig alerts(ConfigNode node, JsonNode webhookList) {
        node.rejectUnknownKeys(Set.of("alertmanager_url", "webhooks", "resend_seconds", "dashboard_url_template"));
        String alertmanager = node.string("alertmanager_url", "");
        if (!alertmanager.isEmpty()) {
            requireHttpUrl(node.childPath("alertmanager_url"), alertmanager);
        }
        String listPath = node.childPath("webhooks");
        if (!webhookList.isMissingNode() && !webhookList.isNull() && !webhookList.isArray()) {
            throw ConfigNode.error(listPath, "must be a list of {url, slack}");
        }
        List<AlertsConfig.Webhook> webhooks = new ArrayList<>();
        for (int i = 0; i < webhookList.size(); i++) {
            ConfigNode hook = new ConfigNode(listPath + "[" + i + "]", webhookList.get(i));
            hook.rejectUnknownKeys(Set.of("url", "slack"));
            String url = hook.requiredString("url");
            requireHttpUrl(hook.childPath("url"), url);
            webhooks.add(new AlertsConfig.Webhook(url, hook.bool("slack", false)));
        }
        return new AlertsConfig(
                alertmanager,
                webhooks,
                Duration.ofSeconds(node.number("resend_seconds", 300, 1, 86_400)),
                node.string("dashboard_url_template", ""));
    }

    private static void requireHttpUrl(String path, String url) {
        try {
            URI uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ConfigNode.error(path, "must be an http(s) URL with a host, got '" + url + "'");
            }
        } catch (IllegalArgumentException e) {
            throw ConfigNode.error(path, "not a URL: '" + url + "'");
        }
    }

    private static StateConfig state(ConfigNode node, Path baseDir) {
        node.rejectUnknownKeys(Set.of("store", "redis_url", "redis_password", "tls", "key_prefix", "resync_interval_ms", "lease_ttl_ms"));
        String store = node.string("store", StateConfig.MEMORY);
        if (!store.equals(StateConfig.MEMORY) && !store.equals(StateConfig.REDIS)) {
            throw ConfigNode.error(node.childPath("store"), "must be memory or redis, got '" + store + "'");
        }
        String redisUrl = node.string("redis_url", "redis://127.0.0.1:6379");
        if (!StateConfig.isRedisUrl(redisUrl)) {
            throw ConfigNode.error(node.childPath("redis_url"), "must be a redis://, rediss://, redis-sentinel:// or "
                    + "rediss-sentinel:// URL, got '" + StateConfig.withoutPassword(redisUrl) + "'");
        }
        if (StateConfig.isSentinelUrl(redisUrl) && !redisUrl.matches("[^#]+#[^#]+")) {
            // without it Lettuce fails only when it first connects, with a message about a null master id
            throw ConfigNode.error(node.childPath("redis_url"), "a Sentinel URL names the monitored primary after '#' "
                    + "(redis-sentinel://host:26379,host:26380/0#mymaster), got '" + StateConfig.withoutPassword(redisUrl) + "'");
        }
        return new StateConfig(store, redisUrl, node.string("redis_password", ""),
                TlsConfigReader.client(node, baseDir, StateConfig.isTlsUrl(redisUrl), "redis_url"),
                node.string("key_prefix", "modelgate"),
                node.millis("resync_interval_ms", Duration.ofSeconds(1), 100, 3_600_000),
                node.millis("lease_ttl_ms", Duration.ofSeconds(15), 1_000, 3_600_000));
    }

    private static ExperimentsConfig experiments(ConfigNode node, JsonNode specs) {
        node.rejectUnknownKeys(Set.of("controller_interval_ms", "analysis_interval_ms", "query_timeout_seconds", "specs"));
        List<ExperimentSpec> parsed = new ArrayList<>();
        if (!specs.isMissingNode() && !specs.isNull()) {
            if (!specs.isArray()) {
                throw ConfigNode.error(node.childPath("specs"), "must be a list of experiments");
            }
            for (int i = 0; i < specs.size(); i++) {
                String path = node.childPath("specs") + "[" + i + "]";
                try {
                    parsed.add(SpecParser.parse(SPEC_READER.convertValue(specs.get(i), SPEC_TREE)));
                } catch (SpecValidationException e) {
                    throw ConfigNode.error(path + "." + e.field(), e.problem());
                } catch (IllegalArgumentException e) {
                    throw ConfigNode.error(path, e.getMessage());
                }
            }
        }
        return new ExperimentsConfig(parsed, node.millis("controller_interval_ms", Duration.ofSeconds(10), 100, 3_600_000),
                node.millis("analysis_interval_ms", ExperimentsConfig.DEFAULT_ANALYSIS_INTERVAL, 1_000, 86_400_000),
                Duration.ofSeconds(node.number("query_timeout_seconds", 60, 1, 3_600)));
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
