package dev.modelgate.gateway.config;

import dev.modelgate.inference.DataType;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.batching.BatchingSettings;
import dev.modelgate.inference.djl.DeviceChoice;
import dev.modelgate.inference.resilience.BulkheadSettings;
import dev.modelgate.inference.resilience.CircuitBreakerSettings;
import dev.modelgate.inference.resilience.ResilienceSettings;
import dev.modelgate.inference.resilience.RetrySettings;
import dev.modelgate.inference.xgboost.XgboostOutput;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code backend}, {@code batching} and {@code resilience} sections of a variant. */
final class BackendConfigReader {

    static final int DEFAULT_MAX_CONCURRENT_CALLS = 1_024;

    private static final List<String> LOCAL_TYPES = List.of(OnnxBackendConfig.TYPE, XgboostBackendConfig.TYPE, PyTorchBackendConfig.TYPE);

    private BackendConfigReader() {}

    static BackendConfig backend(ConfigNode node, Path baseDir, String modelName) {
        String type = node.requiredString("type");
        return switch (type) {
            case OnnxBackendConfig.TYPE -> {
                node.rejectUnknownKeys(Set.of("type", "path", "instances", "intra_op_threads", "device"));
                yield new OnnxBackendConfig(modelFile(node, baseDir), instances(node), node.integer("intra_op_threads", 1, 1, 256),
                        device(node));
            }
            case XgboostBackendConfig.TYPE -> {
                node.rejectUnknownKeys(Set.of("type", "path", "instances", "device", "output"));
                String output = node.string("output", "prediction");
                try {
                    XgboostOutput.parse(output);
                } catch (IllegalArgumentException e) {
                    throw ConfigNode.error(node.childPath("output"), e.getMessage());
                }
                yield new XgboostBackendConfig(modelFile(node, baseDir), instances(node), device(node), output);
            }
            case PyTorchBackendConfig.TYPE -> {
                node.rejectUnknownKeys(Set.of("type", "path", "instances", "device", "inputs", "outputs"));
                List<TensorSpec> inputs = specs(node, "inputs");
                if (inputs.isEmpty()) {
                    throw ConfigNode.error(node.childPath("inputs"), "is required: TorchScript does not declare its inputs");
                }
                yield new PyTorchBackendConfig(modelFile(node, baseDir), instances(node), device(node), inputs,
                        node.list("outputs", s -> s));
            }
            default -> {
                if (!RemoteBackendConfig.TYPES.contains(type)) {
                    List<String> all = new ArrayList<>(LOCAL_TYPES);
                    all.addAll(RemoteBackendConfig.TYPES);
                    throw ConfigNode.error(node.childPath("type"), "unknown backend type '" + type + "' (supported: " + all + ")");
                }
                yield remote(type, node, baseDir, modelName);
            }
        };
    }

    private static RemoteBackendConfig remote(String type, ConfigNode node, Path baseDir, String modelName) {
        node.rejectUnknownKeys(Set.of("type", "url", "model", "version", "max_connections", "connect_timeout_ms",
                "request_timeout_ms", "format", "signature", "method", "path", "template", "inputs", "outputs", "tls"));
        String url = node.requiredString("url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ConfigNode.error(node.childPath("url"), "not a URL: '" + url + "'");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw ConfigNode.error(node.childPath("url"), "must be an http(s) URL with a host, got '" + url + "'");
        }
        List<TensorSpec> inputs = specs(node, "inputs");
        List<RemoteBackendConfig.Output> outputs = new ArrayList<>();
        for (ConfigNode output : node.objectList("outputs")) {
            outputs.add(new RemoteBackendConfig.Output(spec(output, Set.of("name", "datatype", "shape", "pointer")),
                    output.string("pointer", "")));
        }
        if (!type.startsWith("kserve") && (inputs.isEmpty() || outputs.isEmpty())) {
            throw ConfigNode.error(node.childPath(inputs.isEmpty() ? "inputs" : "outputs"),
                    "is required for " + type + ": the server does not describe its model");
        }
        if (type.equals("http") && outputs.stream().anyMatch(o -> o.jsonPointer().isEmpty())) {
            throw ConfigNode.error(node.childPath("outputs"), "each output of an http backend needs a 'pointer' into the answer");
        }
        String format = node.string("format", type.equals("torchserve") ? "data" : "row");
        return new RemoteBackendConfig(type, uri,
                node.string("model", modelName),
                node.string("version", ""),
                node.integer("max_connections", 32, 1, 4096),
                node.millis("connect_timeout_ms", Duration.ofSeconds(2), 1, 600_000),
                node.millis("request_timeout_ms", Duration.ofSeconds(10), 1, 600_000),
                format,
                node.string("signature", ""),
                node.string("method", "POST"),
                node.string("path", "/"),
                node.string("template", ""),
                inputs,
                outputs,
                TlsConfigReader.client(node, baseDir, "https".equals(uri.getScheme()), "url"));
    }

    /** {@code batching: {max_batch_size, max_queue_delay_ms, max_queue_size}}; absent = no batching. */
    static Optional<BatchingSettings> batching(ConfigNode variant, int instances) {
        if (!variant.has("batching")) {
            return Optional.empty();
        }
        ConfigNode node = variant.object("batching");
        node.rejectUnknownKeys(Set.of("max_batch_size", "max_queue_delay_ms", "max_queue_size"));
        return Optional.of(new BatchingSettings(
                node.integer("max_batch_size", 32, 1, 65_536),
                node.millis("max_queue_delay_ms", Duration.ofMillis(2), 1, 60_000),
                node.integer("max_queue_size", 1_024, 1, 10_000_000),
                instances));
    }

    /**
     * Defaults: the library's breaker and retry, the model's deadline as the timeout, and a bulkhead
     * wide enough that only a backend that has stopped answering fills it (a burst of callers is the
     * batcher's or the worker pool's to absorb, not a reason to refuse).
     */
    static ResilienceSettings resilience(ConfigNode variant, Duration modelTimeout) {
        ResilienceSettings defaults = ResilienceSettings.defaults().withTimeout(modelTimeout)
                .withBulkhead(new BulkheadSettings(true, DEFAULT_MAX_CONCURRENT_CALLS));
        if (!variant.has("resilience")) {
            return defaults;
        }
        ConfigNode node = variant.object("resilience");
        node.rejectUnknownKeys(Set.of("timeout_ms", "circuit_breaker", "bulkhead", "retry"));
        try {
            return new ResilienceSettings(
                    node.millis("timeout_ms", modelTimeout, 1, 600_000),
                    circuitBreaker(node.object("circuit_breaker"), defaults.circuitBreaker()),
                    bulkhead(node.object("bulkhead"), defaults.bulkhead()),
                    retry(node.object("retry"), defaults.retry()));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw ConfigNode.error(node.path(), e.getMessage());
        }
    }

    private static CircuitBreakerSettings circuitBreaker(ConfigNode node, CircuitBreakerSettings d) {
        node.rejectUnknownKeys(Set.of("enabled", "failure_rate_threshold", "slow_call_rate_threshold", "slow_call_duration_ms",
                "sliding_window_size", "minimum_number_of_calls", "wait_in_open_state_ms", "permitted_calls_in_half_open_state"));
        return new CircuitBreakerSettings(
                node.bool("enabled", d.enabled()),
                (float) node.decimal("failure_rate_threshold", d.failureRateThreshold(), 1, 100),
                (float) node.decimal("slow_call_rate_threshold", d.slowCallRateThreshold(), 1, 100),
                node.millis("slow_call_duration_ms", d.slowCallDuration(), 1, 600_000),
                node.integer("sliding_window_size", d.slidingWindowSize(), 1, 100_000),
                node.integer("minimum_number_of_calls", d.minimumNumberOfCalls(), 1, 100_000),
                node.millis("wait_in_open_state_ms", d.waitInOpenState(), 1, 3_600_000),
                node.integer("permitted_calls_in_half_open_state", d.permittedCallsInHalfOpenState(), 1, 10_000));
    }

    private static BulkheadSettings bulkhead(ConfigNode node, BulkheadSettings d) {
        node.rejectUnknownKeys(Set.of("enabled", "max_concurrent_calls"));
        return new BulkheadSettings(node.bool("enabled", d.enabled()), node.integer("max_concurrent_calls", d.maxConcurrentCalls(), 1, 100_000));
    }

    private static RetrySettings retry(ConfigNode node, RetrySettings d) {
        node.rejectUnknownKeys(Set.of("max_attempts", "initial_backoff_ms", "multiplier", "max_backoff_ms"));
        return new RetrySettings(
                node.integer("max_attempts", d.maxAttempts(), 1, 100),
                node.millis("initial_backoff_ms", d.initialBackoff(), 1, 600_000),
                node.decimal("multiplier", d.multiplier(), 1, 100),
                node.millis("max_backoff_ms", d.maxBackoff(), 1, 600_000));
    }

    static int instances(ConfigNode backend) {
        return backend.integer("instances", 1, 1, 256);
    }

    private static Path modelFile(ConfigNode node, Path baseDir) {
        Path path = baseDir.resolve(node.requiredString("path")).normalize();
        if (!Files.isRegularFile(path)) {
            throw ConfigNode.error(node.childPath("path"), "no model file at " + path);
        }
        return path;
    }

    private static String device(ConfigNode node) {
        String device = node.string("device", "auto");
        try {
            DeviceChoice.parse(device);
        } catch (IllegalArgumentException e) {
            throw ConfigNode.error(node.childPath("device"), e.getMessage());
        }
        return device;
    }

    private static List<TensorSpec> specs(ConfigNode node, String key) {
        List<TensorSpec> specs = new ArrayList<>();
        for (ConfigNode spec : node.objectList(key)) {
            specs.add(spec(spec, Set.of("name", "datatype", "shape")));
        }
        return specs;
    }

    private static TensorSpec spec(ConfigNode node, Set<String> keys) {
        node.rejectUnknownKeys(keys);
        String datatype = node.requiredString("datatype");
        DataType type = DataType.fromProtocolName(datatype).orElseThrow(() ->
                ConfigNode.error(node.childPath("datatype"), "unknown datatype '" + datatype + "'"));
        List<Long> shape = node.list("shape", text -> {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw ConfigNode.error(node.childPath("shape"), "dimensions must be integers (-1 for variable), got '" + text + "'");
            }
        });
        return new TensorSpec(node.requiredString("name"), type, shape.stream().mapToLong(Long::longValue).toArray());
    }
}
