package dev.modelgate.gateway.quality;

import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.statistics.quality.Degradation;
import java.util.Locale;
import java.util.Optional;

/**
 * What one window says about degradation.
 *
 * @param metric the alert metric
 * @param source {@code realised} (enough labels), {@code estimated} (CBPE while labels are missing) or empty
 * @param verdict DRIFT means degraded; UNKNOWN when it could not be judged, with {@code reason}
 */
public record Judgement(String metric, String source, WindowVerdict verdict, Optional<Degradation> test, long sampleSize,
                        String reason) {

    public String verdictName() {
        return switch (verdict) {
            case DRIFT -> "degraded";
            case NO_DRIFT -> "ok";
            case UNKNOWN -> "unknown";
        };
    }

    static Judgement unknown(String metric, String reason) {
        return new Judgement(metric, "", WindowVerdict.UNKNOWN, Optional.empty(), 0, reason);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
