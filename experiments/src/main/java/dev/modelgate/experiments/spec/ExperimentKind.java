package dev.modelgate.experiments.spec;

import java.util.Arrays;
import java.util.Locale;

/** The {@code kind} field of a spec: how traffic is split between variants. */
public enum ExperimentKind {
    AB,
    CANARY,
    SHADOW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ExperimentKind fromWireName(String value) {
        for (ExperimentKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return kind;
            }
        }
        throw new SpecValidationException("kind", "must be one of "
                + Arrays.stream(values()).map(ExperimentKind::wireName).toList() + ", got '" + value + "'");
    }
}
