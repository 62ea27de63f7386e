package dev.modelgate.gateway.batch.quality;

import dev.modelgate.drift.evaluate.DatasetDrift;
import java.util.List;
import java.util.Optional;

/**
 * The data-quality verdict on a job's input, stored with the job ({@code jobs.quality_report}).
 *
 * @param status        {@code pass}, {@code warn} or {@code fail}; a failed check stops the job before scoring
 * @param problems      what made it fail, one sentence each
 * @param warnings      what was noticed without failing
 * @param driftVariant  the variant whose reference profile the input was compared with
 * @param drift         the comparison, when a reference existed and drift checks are on
 */
public record QualityReport(String status, long rows, List<ColumnStats> columns, List<String> problems, List<String> warnings,
                            String driftVariant, Optional<DatasetDrift> drift) {

    public static final String PASS = "pass";
    public static final String WARN = "warn";
    public static final String FAIL = "fail";

    public QualityReport {
        columns = List.copyOf(columns);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    public boolean failed() {
        return FAIL.equals(status);
    }

    /** A report for a job run without checks. */
    public static QualityReport skipped() {
        return new QualityReport("skipped", 0, List.of(), List.of(), List.of(), "", Optional.empty());
    }
}
