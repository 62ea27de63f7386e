package dev.modelgate.gateway.drift;

import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import java.util.List;

/**
 * The verdicts of a variant's latest runs, oldest first, whichever replica ran them: lets a replica
 * that takes over the monitor (or restarts) continue the alert rule's streaks instead of starting
 * from scratch, which would re-fire a firing alert or forget one that is pending.
 */
@FunctionalInterface
interface VerdictHistory {

    List<WindowVerdict> latest(String model, String variant, int runs) throws ClickHouseCallException;

    VerdictHistory NONE = (model, variant, runs) -> List.of();
}
