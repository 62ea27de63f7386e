package dev.modelgate.gateway.analysis;

import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.Effect;
import dev.modelgate.experiments.stats.decision.Direction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON of {@code GET /admin/experiments/{name}/results} (documented in the README):
 * <pre>
 * {"experiment", "kind", "control", "computed_at", "since", "alpha",
 *  "srm": {"p_value", "alarm", "units": {variant: n}, "weights": {variant: percent}},
 *  "metrics": [{"name", "kind", "direction", "guardrail", "source", "minimum_detectable_effect",
 *               "plan": {"required_per_variant", "fixed_horizon_per_variant", "days_remaining"},
 *               "variants": [{"variant", "control", "n", "estimate",
 *                             "difference": {"estimate", "ci_low", "ci_high"}, "lift": {...},
 *                             "p_value", "p_value_holm",
 *                             "sequential": {"p_value", "p_value_holm", "difference": {...}, "lift": {...}},
 *                             "chance_to_beat"}]}],
 *  "decisions": [{"variant", "decision", "reasons": [...]}]}
 * </pre>
 * Statistics that do not exist (no units yet, the control against itself, a lift over a zero control)
 * are {@code null}; JSON has no NaN or infinity ({@code days_remaining} without traffic is null too).
 */
public final class ResultsJson {

    private ResultsJson() {}

    public static JsonObject of(ExperimentResults results) {
        JsonObject srm = new JsonObject()
                .put("p_value", number(results.srm().pValue()))
                .put("alarm", results.srm().alarm())
                .put("units", new JsonObject(new LinkedHashMap<>(results.srm().units())))
                .put("weights", new JsonObject(new LinkedHashMap<>(results.srm().weights())));
        JsonArray metrics = new JsonArray();
        results.metrics().forEach(m -> metrics.add(metric(m)));
        JsonArray decisions = new JsonArray();
        results.decisions().forEach(d -> decisions.add(new JsonObject()
                .put("variant", d.variant())
                .put("decision", d.recommendation().decision().name().toLowerCase(Locale.ROOT))
                .put("reasons", new JsonArray(d.recommendation().reasons()))));
        return new JsonObject()
                .put("experiment", results.experiment())
                .put("kind", results.kind())
                .put("control", results.control())
                .put("computed_at", Instant.ofEpochMilli(results.computedAtMillis()).toString())
                .put("since", results.sinceMillis() == 0 ? null : Instant.ofEpochMilli(results.sinceMillis()).toString())
                .put("alpha", results.alpha())
                .put("srm", srm)
                .put("metrics", metrics)
                .put("decisions", decisions);
    }

    private static JsonObject metric(MetricResult result) {
        MetricSpec spec = result.metric();
        JsonArray variants = new JsonArray();
        result.variants().forEach(v -> variants.add(variant(v)));
        return new JsonObject()
                .put("name", spec.name())
                .put("kind", spec.kind().wireName())
                .put("direction", spec.direction() == Direction.HIGHER_IS_BETTER ? "higher" : "lower")
                .put("guardrail", spec.guardrail())
                .put("source", spec.source().wireName())
                .put("minimum_detectable_effect", spec.minimumDetectableEffect().isPresent()
                        ? spec.minimumDetectableEffect().getAsDouble() : null)
                .put("plan", result.plan().map(p -> new JsonObject()
                        .put("required_per_variant", p.requiredPerVariant())
                        .put("fixed_horizon_per_variant", p.fixedHorizonPerVariant())
                        .put("days_remaining", number(p.daysRemaining()))).orElse(null))
                .put("variants", variants);
    }

    private static JsonObject variant(VariantResult v) {
        JsonObject out = new JsonObject()
                .put("variant", v.variant())
                .put("control", v.control())
                .put("n", v.n())
                .put("estimate", number(v.estimate()));
        v.comparison().ifPresent(c -> out
                .put("difference", effect(c.fixed().absolute()))
                .put("lift", effect(c.fixed().relative()))
                .put("p_value", c.fixed().pValue())
                .put("p_value_holm", c.pValueHolm())
                .put("sequential", new JsonObject()
                        .put("p_value", c.sequential().pValue())
                        .put("p_value_holm", c.pValueSequentialHolm())
                        .put("difference", effect(c.sequential().absolute()))
                        .put("lift", effect(c.sequential().relative())))
                .put("chance_to_beat", c.chanceToBeat().isPresent() ? c.chanceToBeat().getAsDouble() : null));
        return out;
    }

    private static JsonObject effect(Optional<Effect> effect) {
        return effect.map(ResultsJson::effect).orElse(null);
    }

    private static JsonObject effect(Effect effect) {
        return new JsonObject()
                .put("estimate", effect.estimate())
                .put("ci_low", effect.interval().lower())
                .put("ci_high", effect.interval().upper());
    }

    private static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
