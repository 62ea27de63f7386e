package dev.modelgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A batch scoring job ({@code score --job job.yaml}, {@code POST /admin/jobs}): what to read, which
 * variant or experiment scores it, where the results go, and how strict to be.
 *
 * @param id           names the job in every table and is how {@code --resume} finds it again
 * @param model        the configured model
 * @param variant      the variant that scores every row; empty with {@code experiment} (or for the default variant)
 * @param experiment   rows are assigned by the experiment in force on the model, by their unit id, as online
 * @param keyColumn    a column unique per row: the key of the result rows
 * @param unitIdColumn the sticky unit id (required with an experiment)
 * @param inputs       model input → source columns; empty = each variant's {@code feature_names}
 * @param batchSize    rows per engine call
 * @param chunkRows    rows per checkpoint: a chunk is written to every sink whole or not at all
 * @param concurrency  engine calls in flight at once (the job's budget on the backends)
 * @param document     the spec as written, stored with the job
 */
public record JobSpec(String id, String model, Optional<String> variant, Optional<String> experiment, Source source,
                      String keyColumn, Optional<String> unitIdColumn, Map<String, List<String>> inputs, Sinks sinks,
                      int batchSize, int chunkRows, int concurrency, Retry retry, ErrorBudget errorBudget, Quality quality,
                      JsonNode document) {

    public JobSpec {
        inputs = Map.copyOf(inputs);
    }

    /** The same job with fewer engine calls in flight (a gateway caps what its jobs may take from online traffic). */
    public JobSpec withConcurrency(int calls) {
        return new JobSpec(id, model, variant, experiment, source, keyColumn, unitIdColumn, inputs, sinks, batchSize, chunkRows, calls,
                retry, errorBudget, quality, document);
    }

    /** The same job with chunks of another size: a resumed job keeps the size its first run numbered chunks by. */
    public JobSpec withChunkRows(int rows) {
        return new JobSpec(id, model, variant, experiment, source, keyColumn, unitIdColumn, inputs, sinks, batchSize, rows, concurrency,
                retry, errorBudget, quality, document);
    }

    /** Where the rows come from: a CSV or Parquet file (or glob) read by DuckDB, or a ClickHouse query. */
    public record Source(Kind kind, Optional<Path> path, Optional<String> query) {

        public enum Kind { CSV, PARQUET, CLICKHOUSE }

        /** How the source is named in the jobs table and reports. */
        public String describe() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + path.map(Path::toString).orElseGet(query::orElseThrow);
        }
    }

    /**
     * Where the results go: a ClickHouse table in the configured database and/or a folder of CSV parts.
     *
     * @param features whether the table's rows carry their inputs too, for drift queries over them
     */
    public record Sinks(Optional<String> table, Optional<Path> folder, boolean features) {}

    /** Engine calls that fail (other than for a bad row) are retried, waiting {@code initialBackoff} doubling to {@code maxBackoff}. */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {}

    /** Rows that fail to score are recorded; past either bound the job fails. */
    public record ErrorBudget(long maxFailedRows, double maxFailedFraction) {}

    /**
     * Checks made on the whole input before anything is scored. A fraction above {@code fail…} stops
     * the job, above {@code warn…} is reported.
     *
     * @param ranges     column → [min, max]; values outside count as out of range
     * @param drift      {@code fail}, {@code warn} or {@code off}: what a drifted input does
     * @param sampleRows rows sampled (uniformly, fixed seed) for the drift comparison
     */
    public record Quality(boolean enabled, double warnMissingFraction, double failMissingFraction,
                          double failOutOfRangeFraction, Map<String, double[]> ranges, String drift, int sampleRows) {

        public Quality {
            ranges = Map.copyOf(ranges);
        }
    }
}
