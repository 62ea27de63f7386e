package dev.modelgate.experiments.spec;

import dev.modelgate.experiments.stats.decision.Direction;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A metric an experiment is judged on.
 *
 * @param name                    metric name; for source {@code feedback} the {@code metric} field of
 *                                {@code POST /v1/feedback} items
 * @param kind                    binary (a unit converts or not) or continuous (a per-unit number)
 * @param direction               which way is better for the treatment
 * @param minimumDetectableEffect smallest lift worth detecting, relative to control ({@code 0.05} = +5 %);
 *                                drives the planned sample size and time remaining; empty = no plan
 * @param guardrail               true for metrics that must not get worse rather than be improved
 * @param source                  where per-unit values come from
 */
public record MetricSpec(String name, Kind kind, Direction direction, OptionalDouble minimumDetectableEffect,
                         boolean guardrail, Source source) {

    public enum Kind {
        BINARY,
        CONTINUOUS;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where a unit's values come from: posted feedback, or columns the gateway logs with every request. */
    public enum Source {
        FEEDBACK,
        LATENCY_MS,
        SCORE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MetricSpec {
        Checks.name("name", name);
        Checks.required("kind", kind);
        Checks.required("direction", direction);
        Checks.required("minimum_detectable_effect", minimumDetectableEffect);
        if (minimumDetectableEffect.isPresent()) {
            double mde = minimumDetectableEffect.getAsDouble();
            if (!Double.isFinite(mde) || mde == 0.0) {
                throw new SpecValidationException("minimum_detectable_effect",
                        "must be a finite, non-zero relative effect (0.05 = 5 %), got " + mde);
            }
        }
        Checks.required("source", source);
        // a logged latency or score is a number per request, never a conversion
        if (kind == Kind.BINARY && source != Source.FEEDBACK) {
            throw new SpecValidationException("kind", "binary metrics need source feedback, got source " + source.wireName());
        }
    }

    /** A primary binary feedback metric where higher is better, e.g. {@code converted}. */
    public static MetricSpec conversion(String name) {
        return new MetricSpec(name, Kind.BINARY, Direction.HIGHER_IS_BETTER, OptionalDouble.empty(), false, Source.FEEDBACK);
    }
}
