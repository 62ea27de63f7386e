package dev.modelgate.gateway.cli;

import dev.modelgate.gateway.batch.JobProgress;
import dev.modelgate.gateway.batch.JobState;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A job's progress on stderr: on a terminal, one line redrawn in place
 * ({@code [#######.............]  35.0 %  350,000 / 1,000,000 rows  82,113 rows/s  ETA 0:07  failed 0});
 * in a log (cron, Airflow), the same line printed every {@code logIntervalSeconds}.
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final long logIntervalNanos;
    private long lastLogNanos;

    ProgressBar(PrintStream out, boolean terminal, long logIntervalSeconds) {
        this.out = out;
        this.terminal = terminal;
        this.logIntervalNanos = logIntervalSeconds * 1_000_000_000L;
    }

    /** Called about once a second. */
    void show(JobProgress progress) {
        if (terminal) {
            out.print("\r" + line(progress) + "\u001b[K");
            out.flush();
        } else if (System.nanoTime() - lastLogNanos >= logIntervalNanos) {
            lastLogNanos = System.nanoTime();
            out.println(line(progress));
        }
    }

    void finish(JobProgress progress) {
        if (terminal) {
            out.print("\r" + line(progress) + "\u001b[K\n");
        } else {
            out.println(line(progress));
        }
        out.flush();
    }

    static String line(JobProgress progress) {
        long total = progress.totalRows();
        JobState state = progress.state();
        if (state == JobState.CHECKING || state == JobState.QUEUED) {
            return String.format(Locale.ROOT, "checking data quality: %,d%s rows read", progress.checkedRows(),
                    total < 0 ? "" : String.format(Locale.ROOT, " / %,d", total));
        }
        long done = progress.doneRows();
        double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        int filled = (int) Math.round(fraction * WIDTH);
        double eta = progress.etaSeconds();
        return String.format(Locale.ROOT, "[%s%s] %5.1f %%  %,d / %s rows  %,.0f rows/s  ETA %s  failed %,d%s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * fraction, done, total < 0 ? "?" : String.format(Locale.ROOT, "%,d", total),
                progress.rowsPerSecond(), eta < 0 ? "?" : duration((long) Math.ceil(eta)), progress.failedRows(),
                state.finished() ? "  " + state.label() : "");
    }

    private static String duration(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
