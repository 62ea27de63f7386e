package dev.modelgate.gateway.analysis;

import dev.modelgate.experiments.stats.srm.SrmResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Assigned units per variant against the configured weights.
 *
 * @param result empty when fewer than two variants have a weight: there is no split to check
 */
public record SrmCheck(Map<String, Long> units, Map<String, Double> weights, Optional<SrmResult> result) {

    public SrmCheck {
        units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        Objects.requireNonNull(result, "result");
    }

    /** True while the sample ratio mismatch alarm fires. */
    public boolean alarm() {
        return result.map(r -> !r.trustworthy()).orElse(false);
    }

    /** NaN when there is no split to check. */
    public double pValue() {
        return result.map(SrmResult::pValue).orElse(Double.NaN);
    }
}
