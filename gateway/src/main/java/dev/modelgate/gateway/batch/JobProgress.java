package dev.modelgate.gateway.batch;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running job's counters, updated by the job's threads and read by whoever shows progress (the CLI's
 * progress bar, {@code GET /admin/jobs/{id}}, the jobs table).
 */
public final class JobProgress {

    private final AtomicReference<JobState> state = new AtomicReference<>(JobState.QUEUED);
    private final AtomicLong totalRows = new AtomicLong(-1);
    private final AtomicLong checkedRows = new AtomicLong();
    private final AtomicLong resumedRows = new AtomicLong();
    private final AtomicLong scoredRows = new AtomicLong();
    private final AtomicLong failedRows = new AtomicLong();
    private final AtomicLong writtenChunks = new AtomicLong();
    private final long startedNanos = System.nanoTime();
    private volatile long scoringStartedNanos;
    private volatile long finishedNanos;

    public JobState state() {
        return state.get();
    }

    void state(JobState next) {
        if (next == JobState.RUNNING) {
            scoringStartedNanos = System.nanoTime();
        } else if (next.finished()) {
            finishedNanos = System.nanoTime();
        }
        state.set(next);
    }

    /** Rows in the input; -1 until counted. */
    public long totalRows() {
        return totalRows.get();
    }

    void totalRows(long rows) {
        totalRows.set(rows);
    }

    /** Rows read by the data-quality pass so far. */
    public long checkedRows() {
        return checkedRows.get();
    }

    void checked(long rows) {
        checkedRows.addAndGet(rows);
    }

    /** Rows of chunks an earlier run of the job had written, skipped by this one. */
    public long resumedRows() {
        return resumedRows.get();
    }

    void resumed(long rows) {
        resumedRows.addAndGet(rows);
    }

    /** Rows written by this run, scored successfully. */
    public long scoredRows() {
        return scoredRows.get();
    }

    /** Rows written by this run with an error. */
    public long failedRows() {
        return failedRows.get();
    }

    void written(long scored, long failed) {
        scoredRows.addAndGet(scored);
        failedRows.addAndGet(failed);
        writtenChunks.incrementAndGet();
    }

    public long writtenChunks() {
        return writtenChunks.get();
    }

    /** Rows finished: written by this run or by an earlier one. */
    public long doneRows() {
        return resumedRows.get() + scoredRows.get() + failedRows.get();
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Seconds since scoring started (after the data-quality pass), up to the end; 0 before. */
    public double scoringSeconds() {
        long started = scoringStartedNanos;
        if (started == 0) {
            return 0;
        }
        long end = finishedNanos != 0 ? finishedNanos : System.nanoTime();
        return Math.max(0, (end - started) / 1e9);
    }

    /** Rows per second written by this run since scoring started (0 before). */
    public double rowsPerSecond() {
        double seconds = scoringSeconds();
        return seconds <= 0 ? 0 : (scoredRows.get() + failedRows.get()) / seconds;
    }

    /** Seconds until every row is done at the current rate; -1 when unknown. */
    public double etaSeconds() {
        double rate = rowsPerSecond();
        long total = totalRows.get();
        return rate <= 0 || total < 0 ? -1 : Math.max(0, total - doneRows()) / rate;
    }
}
