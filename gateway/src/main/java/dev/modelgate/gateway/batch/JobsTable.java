package dev.modelgate.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.ColumnDefinition;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code jobs}: the history of every batch job, one row per status change and per progress checkpoint
 * (every few seconds while it runs); a job's current state is its latest row. Append-only, because
 * ClickHouse 18.16 cannot update a row; the rows are few (one per job and checkpoint).
 */
public final class JobsTable {

    public static final TableDefinition DEFINITION = new TableDefinition("jobs", List.of(
            ColumnDefinition.of("event_date", "Date"),
            ColumnDefinition.of("updated_at", "DateTime"),
            ColumnDefinition.of("updated_at_ms", "UInt64"),
            ColumnDefinition.of("job_id", "String"),
            ColumnDefinition.of("status", "String"),
            ColumnDefinition.of("model", "String"),
            ColumnDefinition.of("variant", "String"),
            ColumnDefinition.of("experiment", "String"),
            ColumnDefinition.of("source", "String"),
            ColumnDefinition.of("sinks", "Array(String)"),
            ColumnDefinition.of("spec", "String"),
            ColumnDefinition.of("chunk_rows", "UInt64"),
            ColumnDefinition.of("rows_total", "Int64"),
            ColumnDefinition.of("rows_done", "UInt64"),
            ColumnDefinition.of("rows_scored", "UInt64"),
            ColumnDefinition.of("rows_failed", "UInt64"),
            ColumnDefinition.of("rows_resumed", "UInt64"),
            ColumnDefinition.of("chunks_written", "UInt64"),
            ColumnDefinition.of("started_at_ms", "UInt64"),
            ColumnDefinition.of("finished_at_ms", "UInt64"),
            ColumnDefinition.of("quality_status", "String"),
            ColumnDefinition.of("quality_report", "String"),
            ColumnDefinition.of("error", "String"),
            ColumnDefinition.of("instance_id", "String")),
            "ENGINE = MergeTree() PARTITION BY toYYYYMM(event_date) ORDER BY (job_id, updated_at_ms)")
            .shardedBy("cityHash64(job_id)");

    private final ClickHouseConnection clickHouse;
    private final ObjectMapper json = new ObjectMapper();

    /** Creates the table if it is missing. */
    public JobsTable(ClickHouseConnection clickHouse) throws ClickHouseCallException {
        this.clickHouse = clickHouse;
        new ClickHouseSchema(List.of(DEFINITION)).apply(clickHouse);
    }

    public void record(JobRecord job) throws ClickHouseCallException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("event_date", java.time.LocalDate.ofEpochDay(Math.floorDiv(job.updatedAtMillis(), 86_400_000L)).toString());
        row.put("updated_at", job.updatedAtMillis() / 1000);
        row.put("updated_at_ms", job.updatedAtMillis());
        row.put("job_id", job.id());
        row.put("status", job.state().label());
        row.put("model", job.model());
        row.put("variant", job.variant());
        row.put("experiment", job.experiment());
        row.put("source", job.source());
        row.put("sinks", job.sinks());
        row.put("spec", job.spec().toString());
        row.put("chunk_rows", job.chunkRows());
        row.put("rows_total", job.rowsTotal());
        row.put("rows_done", job.rowsDone());
        row.put("rows_scored", job.rowsScored());
        row.put("rows_failed", job.rowsFailed());
        row.put("rows_resumed", job.rowsResumed());
        row.put("chunks_written", job.chunksWritten());
        row.put("started_at_ms", job.startedAtMillis());
        row.put("finished_at_ms", job.finishedAtMillis());
        row.put("quality_status", job.qualityStatus());
        row.put("quality_report", job.qualityReport().toString());
        row.put("error", job.error());
        row.put("instance_id", job.instanceId());
        try {
            clickHouse.insertJsonEachRow(clickHouse.settings().qualify(DEFINITION.name()), new ByteArrayInputStream(json.writeValueAsBytes(row)));
        } catch (IOException e) {
            throw new IllegalStateException("a job row could not be written as JSON", e);
        }
    }

    /** The job's latest row, if it ever ran. */
    public Optional<JobRecord> latest(String jobId) throws ClickHouseCallException {
        List<JsonNode> rows = clickHouse.query("SELECT * FROM " + clickHouse.settings().qualify(DEFINITION.name())
                + " WHERE job_id = " + SqlLiterals.quote(jobId) + " ORDER BY updated_at_ms DESC LIMIT 1");
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        JsonNode row = rows.get(0);
        String report = row.path("quality_report").asText();
        try {
            List<String> sinks = new java.util.ArrayList<>();
            row.path("sinks").forEach(sink -> sinks.add(sink.asText()));
            return Optional.of(new JobRecord(row.path("job_id").asText(), JobState.parse(row.path("status").asText()),
                    row.path("model").asText(), row.path("variant").asText(), row.path("experiment").asText(),
                    row.path("source").asText(), sinks, json.readTree(row.path("spec").asText()), row.path("chunk_rows").asInt(),
                    row.path("rows_total").asLong(), row.path("rows_done").asLong(), row.path("rows_scored").asLong(),
                    row.path("rows_failed").asLong(), row.path("rows_resumed").asLong(), row.path("chunks_written").asLong(),
                    row.path("started_at_ms").asLong(), row.path("updated_at_ms").asLong(), row.path("finished_at_ms").asLong(),
                    row.path("quality_status").asText(), json.readTree(report.isEmpty() ? "{}" : report),
                    row.path("error").asText(), row.path("instance_id").asText()));
        } catch (IOException e) {
            throw new IllegalStateException("the stored row of job " + jobId + " is unreadable: " + e.getMessage(), e);
        }
    }
}
