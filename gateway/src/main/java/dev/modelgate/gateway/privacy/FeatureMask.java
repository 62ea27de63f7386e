package dev.modelgate.gateway.privacy;

import dev.modelgate.gateway.config.FeatureLogging;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's {@code features.F.log} rules, applied to what is logged of a request before the event leaves
 * the request path (the write-ahead log, the queue and ClickHouse only ever see the result), and to the
 * reference rows uploaded for drift, so that a hashed feature is compared hash to hash.
 */
public final class FeatureMask {

    /** Logged names and values after the rules; {@code names} is the given list itself when nothing was dropped. */
    public record Masked(List<String> names, double[] values) {}

    private final Map<String, FeatureLogging> rules;
    private final KeyedHash hash;

    FeatureMask(Map<String, FeatureLogging> rules, KeyedHash hash) {
        this.rules = Map.copyOf(rules);
        this.hash = hash;
    }

    /** Applies the rules to parallel name/value arrays; {@code values} is changed in place. */
    public Masked apply(List<String> names, double[] values) {
        int dropped = 0;
        for (int i = 0; i < values.length; i++) {
            FeatureLogging rule = rules.get(names.get(i));
            if (rule == null) {
                continue;
            }
            switch (rule) {
                case HASH -> values[i] = hash.hash(names.get(i), values[i]);
                case REDACT -> values[i] = Double.NaN;
                case DROP -> dropped++;
                case KEEP -> { }
            }
        }
        if (dropped == 0) {
            return new Masked(names, values);
        }
        List<String> keptNames = new ArrayList<>(names.size() - dropped);
        double[] keptValues = new double[values.length - dropped];
        for (int i = 0; i < values.length; i++) {
            if (rules.get(names.get(i)) != FeatureLogging.DROP) {
                keptValues[keptNames.size()] = values[i];
                keptNames.add(names.get(i));
            }
        }
        return new Masked(keptNames, keptValues);
    }

    /**
     * A reference row as the log would hold it: hashed columns hashed, redacted ones empty, dropped ones
     * removed (the log has no values to compare them with).
     */
    public Map<String, Object> apply(Map<String, ?> row) {
        Map<String, Object> masked = new HashMap<>(row);
        rules.forEach((feature, rule) -> {
            if (!masked.containsKey(feature)) {
                return;
            }
            switch (rule) {
                case HASH -> masked.computeIfPresent(feature, (name, value) -> value instanceof Number number
                        ? hash.hash(name, number.doubleValue()) : value);
                case REDACT, DROP -> masked.remove(feature);
                case KEEP -> { }
            }
        });
        return masked;
    }
}
