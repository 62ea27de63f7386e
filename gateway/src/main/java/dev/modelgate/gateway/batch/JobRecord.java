package dev.modelgate.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One row of {@code jobs}: a job's state at one moment, with its spec (as JSON) and data-quality report.
 *
 * @param rowsTotal  rows in the input (-1 before they were counted)
 * @param rowsDone   rows written, by this run or an earlier one of the same job
 * @param rowsResumed rows of chunks written by an earlier run, skipped by this one
 */
public record JobRecord(String id, JobState state, String model, String variant, String experiment, String source,
                        List<String> sinks, JsonNode spec, int chunkRows, long rowsTotal, long rowsDone, long rowsScored,
                        long rowsFailed, long rowsResumed, long chunksWritten, long startedAtMillis, long updatedAtMillis,
                        long finishedAtMillis, String qualityStatus, JsonNode qualityReport, String error, String instanceId) {

    public JobRecord {
        sinks = List.copyOf(sinks);
    }
}
