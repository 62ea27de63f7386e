package dev.modelgate.gateway.batch;

import dev.modelgate.gateway.batch.quality.QualityReport;

/**
 * How a run of a job ended.
 *
 * @param error why it failed or stopped; empty when it succeeded
 */
public record JobOutcome(JobState state, QualityReport quality, String error) {

    /** Whether the run stopped on the data-quality checks (so a scheduler can tell bad data from a broken run). */
    public boolean qualityFailed() {
        return state == JobState.FAILED && quality.failed();
    }
}
