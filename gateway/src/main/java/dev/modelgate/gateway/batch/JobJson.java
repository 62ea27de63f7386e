package dev.modelgate.gateway.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.gateway.batch.quality.QualityReports;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** A job's state as {@code GET /admin/jobs/{id}} answers it, from this gateway's memory or from the jobs table. */
final class JobJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobJson() {}

    @SuppressWarnings("unchecked")
    static JsonObject of(JobManager.Submission submission, JobOutcome outcome) {
        JobProgress progress = submission.progress();
        JsonObject out = new JsonObject()
                .put("id", submission.spec().id())
                .put("status", progress.state().label())
                .put("model", submission.spec().model())
                .put("source", submission.spec().source().describe())
                .put("rows_total", progress.totalRows())
                .put("rows_checked", progress.checkedRows())
                .put("rows_done", progress.doneRows())
                .put("rows_scored", progress.scoredRows())
                .put("rows_failed", progress.failedRows())
                .put("rows_resumed", progress.resumedRows())
                .put("rows_per_second", progress.rowsPerSecond())
                .put("elapsed_seconds", progress.elapsedSeconds());
        if (progress.etaSeconds() >= 0) {
            out.put("eta_seconds", progress.etaSeconds());
        }
        if (outcome != null) {
            out.put("error", outcome.error());
            out.put("quality", new JsonObject(QualityReports.toMap(outcome.quality())));
        }
        return out.put("source_of_state", "memory");
    }

    @SuppressWarnings("unchecked")
    static JsonObject of(JobRecord record) {
        return new JsonObject()
                .put("id", record.id())
                .put("status", record.state().label())
                .put("model", record.model())
                .put("source", record.source())
                .put("rows_total", record.rowsTotal())
                .put("rows_done", record.rowsDone())
                .put("rows_scored", record.rowsScored())
                .put("rows_failed", record.rowsFailed())
                .put("rows_resumed", record.rowsResumed())
                .put("error", record.error())
                .put("quality", new JsonObject(JSON.convertValue(record.qualityReport(), Map.class)))
                .put("source_of_state", "clickhouse");
    }
}
