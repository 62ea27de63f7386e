package dev.modelgate.gateway.quality;

import dev.modelgate.drift.rules.AlertTransition;
import dev.modelgate.drift.rules.RuleState;
import dev.modelgate.gateway.drift.DriftWindow;
import java.time.Instant;
import java.util.Optional;

/**
 * One evaluation of one variant.
 *
 * @param labelledWindow the window ending {@code label_delay} ago: realised metrics and their CBPE estimate
 * @param currentWindow the latest window: the CBPE estimate alerts use while labels are missing
 * @param estimated CBPE on the labelled window, next to the realised metrics (binary only)
 * @param estimatedCurrent CBPE on the current window (binary only)
 */
public record QualityRun(String runId, QualityTarget target, Instant time, DriftWindow labelledWindow, DriftWindow currentWindow,
                         MetricSet realised, Optional<MetricSet> estimated, Optional<MetricSet> estimatedCurrent,
                         Optional<Baseline> baseline, Judgement judgement, RuleState alertState, AlertTransition transition) {

    public String model() {
        return target.model();
    }

    public String variant() {
        return target.variant();
    }
}
