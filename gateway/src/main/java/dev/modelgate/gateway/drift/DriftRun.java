package dev.modelgate.gateway.drift;

import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.rules.AlertTransition;
import dev.modelgate.drift.rules.RuleState;
import dev.modelgate.drift.rules.WindowVerdict;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One comparison of a variant's window with its reference, and what it did to the variant's alert.
 *
 * @param dataset the feature results; empty when the window could not be evaluated
 * @param reason why the verdict is UNKNOWN (no reference, too few values, ClickHouse unavailable); empty otherwise
 * @param alertState the alert rule's state after this run
 * @param transition FIRED or RESOLVED when this run changed whether the alert is active
 */
public record DriftRun(String runId, String model, String variant, Instant time, DriftWindow window, WindowVerdict verdict,
                       Optional<DatasetDrift> dataset, String reason, RuleState alertState, AlertTransition transition) {

    /** The verdict as stored and exposed: {@code drift}, {@code no_drift} or {@code unknown}. */
    public String verdictName() {
        return verdict.name().toLowerCase(Locale.ROOT);
    }
}
