package dev.modelgate.experiments.stats.decision;

import dev.modelgate.experiments.stats.Validate;
import dev.modelgate.experiments.stats.srm.SrmResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recommends ship / keep running / stop / inconclusive for one treatment against control.
 *
 * <p>Rules, in order of precedence:
 * <ol>
 *   <li>SRM alarm: {@link Decision#INCONCLUSIVE}; with a broken split no metric can be trusted, in
 *       either direction, so nothing else is read.</li>
 *   <li>Any guardrail or primary metric significantly worse: {@link Decision#STOP}. Harm outranks gains.</li>
 *   <li>Any primary metric significantly better: {@link Decision#SHIP}.</li>
 *   <li>Otherwise {@link Decision#KEEP_RUNNING} until the planned sample is reached, then
 *       {@link Decision#INCONCLUSIVE}.</li>
 * </ol>
 * Significance is read from the always-valid p-values, so this may be called at every refresh. When many
 * variants or metrics are judged together, pass a Holm-adjusted alpha or results with adjusted p-values.
 */
public final class DecisionHelper {

    private final double alpha;

    public DecisionHelper(double alpha) {
        this.alpha = Validate.openUnitInterval("alpha", alpha);
    }

    /**
     * @param metrics               at least one primary (non-guardrail) metric, plus any guardrails
     * @param srm                   sample ratio mismatch check of the same experiment
     * @param plannedSampleReached  whether every variant has the units the power analysis asked for
     */
    public Recommendation decide(List<MetricEvidence> metrics, SrmResult srm, boolean plannedSampleReached) {
        if (metrics.stream().allMatch(MetricEvidence::guardrail)) {
            throw new IllegalArgumentException("metrics must contain at least one primary (non-guardrail) metric");
        }
        if (!srm.trustworthy()) {
            return new Recommendation(Decision.INCONCLUSIVE, List.of(String.format(Locale.ROOT,
                    "sample ratio mismatch (p = %.2g): assignment does not match the configured weights, "
                            + "fix it before reading any metric", srm.pValue())));
        }
        List<String> harms = new ArrayList<>();
        List<String> gains = new ArrayList<>();
        for (MetricEvidence evidence : metrics) {
            if (!evidence.result().isSignificant(alpha)) {
                continue;
            }
            boolean improved = evidence.direction().improves(evidence.result().absolute().estimate());
            if (!improved) {
                harms.add(describe(evidence, "significantly worse"));
            } else if (!evidence.guardrail()) {
                gains.add(describe(evidence, "significantly better"));
            }
        }
        if (!harms.isEmpty()) {
            return new Recommendation(Decision.STOP, harms);
        }
        if (!gains.isEmpty()) {
            return new Recommendation(Decision.SHIP, gains);
        }
        return plannedSampleReached
                ? new Recommendation(Decision.INCONCLUSIVE, List.of(
                        "planned sample reached and no primary metric moved significantly: the effect, if any, "
                                + "is smaller than the minimum detectable effect"))
                : new Recommendation(Decision.KEEP_RUNNING, List.of(
                        "no significant effect yet and the planned sample is not reached"));
    }

    private String describe(MetricEvidence evidence, String verdict) {
        return String.format(Locale.ROOT, "%s %s %s: difference %.4g, %.0f%% interval [%.4g, %.4g], p = %.2g",
                evidence.guardrail() ? "guardrail" : "primary metric", evidence.metric(), verdict,
                evidence.result().absolute().estimate(), 100 * (1 - alpha),
                evidence.result().absolute().interval().lower(), evidence.result().absolute().interval().upper(),
                evidence.result().pValue());
    }
}
