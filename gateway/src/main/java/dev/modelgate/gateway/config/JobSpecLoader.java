package dev.modelgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads a job spec from YAML (a file) or JSON (an admin request body) with the configuration's rules:
 * every error names its key, unknown keys are errors. Whether the model, variant and columns exist is
 * checked when the job starts, against the loaded models and the source.
 */
public final class JobSpecLoader {

    /** Job ids go into table rows and file names: letters, digits, '-', '_', '.'. */
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<String> KEYS = Set.of("id", "model", "variant", "experiment", "source", "key_column",
            "unit_id_column", "inputs", "sink", "batch_size", "chunk_rows", "concurrency", "retry", "error_budget", "quality");

    private JobSpecLoader() {}

    /** Reads {@code file}; relative paths in it resolve against its folder. An id given here wins over the file's. */
    public static JobSpec load(Path file, Optional<String> id) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(YamlTree.parse(text, file.toString()), file.toAbsolutePath().getParent(), id);
    }

    public static JobSpec parse(JsonNode tree, Path baseDir, Optional<String> idOverride) {
        ConfigNode root = new ConfigNode("", tree);
        root.rejectUnknownKeys(KEYS);
        String id = idOverride.orElseGet(() -> root.string("id", UUID.randomUUID().toString()));
        if (!JOB_ID.matcher(id).matches()) {
            throw ConfigNode.error("id", "must be 1-128 letters, digits, '.', '_' or '-' (starting with a letter or digit), got '" + id + "'");
        }
        Optional<String> variant = Optional.ofNullable(root.string("variant", null));
        Optional<String> experiment = Optional.ofNullable(root.string("experiment", null));
        if (variant.isPresent() && experiment.isPresent()) {
            throw ConfigNode.error("experiment", "give a variant or an experiment, not both");
        }
        Optional<String> unitColumn = Optional.ofNullable(root.string("unit_id_column", null));
        if (experiment.isPresent() && unitColumn.isEmpty()) {
            throw ConfigNode.error("unit_id_column", "is required with an experiment: rows are assigned by their unit id");
        }
        return new JobSpec(id, root.requiredString("model"), variant, experiment, source(root.object("source"), baseDir),
                root.requiredString("key_column"), unitColumn, root.stringLists("inputs"), sinks(root.object("sink"), baseDir),
                root.integer("batch_size", 1024, 1, 1 << 20),
                // a chunk must stay one INSERT block: well below min_insert_block_size_rows (1,048,576) and _bytes (256 MiB)
                root.integer("chunk_rows", 50_000, 1, 200_000),
                root.integer("concurrency", 2, 1, 256),
                retry(root.object("retry")), errorBudget(root.object("error_budget")), quality(root.object("quality")),
                withId(tree, id));
    }

    private static JsonNode withId(JsonNode tree, String id) {
        com.fasterxml.jackson.databind.node.ObjectNode document = tree != null && tree.isObject()
                ? ((com.fasterxml.jackson.databind.node.ObjectNode) tree).deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        return document.put("id", id);
    }

    private static JobSpec.Source source(ConfigNode node, Path baseDir) {
        node.rejectUnknownKeys(Set.of("type", "path", "query"));
        String type = node.requiredString("type").toLowerCase(Locale.ROOT);
        return switch (type) {
            case "csv", "parquet" -> {
                if (node.has("query")) {
                    throw ConfigNode.error(node.childPath("query"), "is for type clickhouse; a " + type + " source has a path");
                }
                yield new JobSpec.Source(JobSpec.Source.Kind.valueOf(type.toUpperCase(Locale.ROOT)),
                        Optional.of(baseDir.resolve(node.requiredString("path"))), Optional.empty());
            }
            case "clickhouse" -> {
                if (node.has("path")) {
                    throw ConfigNode.error(node.childPath("path"), "is for files; a clickhouse source has a query");
                }
                yield new JobSpec.Source(JobSpec.Source.Kind.CLICKHOUSE, Optional.empty(), Optional.of(node.requiredString("query")));
            }
            default -> throw ConfigNode.error(node.childPath("type"), "must be csv, parquet or clickhouse, got '" + type + "'");
        };
    }

    private static JobSpec.Sinks sinks(ConfigNode node, Path baseDir) {
        node.rejectUnknownKeys(Set.of("clickhouse_table", "folder", "features"));
        Optional<String> folder = Optional.ofNullable(node.string("folder", null));
        // results go to ClickHouse unless only a folder is named
        String table = node.string("clickhouse_table", folder.isPresent() ? null : "batch_predictions");
        return new JobSpec.Sinks(Optional.ofNullable(table).filter(t -> !t.isBlank()), folder.map(baseDir::resolve),
                node.bool("features", true));
    }

    private static JobSpec.Retry retry(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("max_attempts", "initial_backoff_ms", "max_backoff_ms"));
        return new JobSpec.Retry(node.integer("max_attempts", 4, 1, 100),
                node.millis("initial_backoff_ms", Duration.ofMillis(200), 0, 600_000),
                node.millis("max_backoff_ms", Duration.ofSeconds(10), 0, 3_600_000));
    }

    private static JobSpec.ErrorBudget errorBudget(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("max_failed_rows", "max_failed_fraction"));
        return new JobSpec.ErrorBudget(node.number("max_failed_rows", Long.MAX_VALUE, 0, Long.MAX_VALUE),
                node.decimal("max_failed_fraction", 0.01, 0, 1));
    }

    private static JobSpec.Quality quality(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("enabled", "warn_missing_fraction", "fail_missing_fraction", "fail_out_of_range_fraction",
                "ranges", "drift", "sample_rows"));
        Map<String, double[]> ranges = new LinkedHashMap<>();
        node.stringLists("ranges").forEach((column, bounds) -> {
            String key = node.childPath("ranges") + "." + column;
            if (bounds.size() != 2) {
                throw ConfigNode.error(key, "must be [min, max]");
            }
            try {
                double min = Double.parseDouble(bounds.get(0));
                double max = Double.parseDouble(bounds.get(1));
                if (!(min <= max)) {
                    throw ConfigNode.error(key, "min must not be above max");
                }
                ranges.put(column, new double[] {min, max});
            } catch (NumberFormatException e) {
                throw ConfigNode.error(key, "must be two numbers, got " + bounds);
            }
        });
        String drift = node.string("drift", "fail").toLowerCase(Locale.ROOT);
        if (!List.of("fail", "warn", "off").contains(drift)) {
            throw ConfigNode.error(node.childPath("drift"), "must be fail, warn or off, got '" + drift + "'");
        }
        return new JobSpec.Quality(node.bool("enabled", true), node.decimal("warn_missing_fraction", 0.0, 0, 1),
                node.decimal("fail_missing_fraction", 0.05, 0, 1), node.decimal("fail_out_of_range_fraction", 0.01, 0, 1),
                ranges, drift, node.integer("sample_rows", 5_000, 100, 1_000_000));
    }
}
