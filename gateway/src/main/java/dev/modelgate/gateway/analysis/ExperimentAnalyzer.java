package dev.modelgate.gateway.analysis;

import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.MeanSummary;
import dev.modelgate.experiments.stats.ProportionSummary;
import dev.modelgate.experiments.stats.SampleStatistics;
import dev.modelgate.experiments.stats.bayes.BetaBinomialComparison;
import dev.modelgate.experiments.stats.decision.Decision;
import dev.modelgate.experiments.stats.decision.DecisionHelper;
import dev.modelgate.experiments.stats.decision.MetricEvidence;
import dev.modelgate.experiments.stats.decision.Recommendation;
import dev.modelgate.experiments.stats.fixed.FixedHorizonResult;
import dev.modelgate.experiments.stats.fixed.TwoProportionZTest;
import dev.modelgate.experiments.stats.fixed.WelchTTest;
import dev.modelgate.statistics.multiplicity.PValueAdjustment;
import dev.modelgate.experiments.stats.power.Mde;
import dev.modelgate.experiments.stats.power.SampleSizeCalculator;
import dev.modelgate.experiments.stats.power.TimeRemaining;
import dev.modelgate.experiments.stats.sequential.AsymptoticConfidenceSequence;
import dev.modelgate.experiments.stats.sequential.SequentialResult;
import dev.modelgate.experiments.stats.srm.SampleRatioMismatchTest;
import dev.modelgate.experiments.stats.srm.SrmResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns per-variant totals into results: every statistic comes from {@code dev.modelgate.experiments.stats};
 * this class only decides which applies to which metric and how they are combined.
 *
 * <ul>
 *   <li>Multiplicity: the fixed-horizon and the always-valid p-values are each Holm-adjusted across all
 *       variant × metric comparisons of the run.</li>
 *   <li>Decisions read the always-valid (sequential) Holm-adjusted p-values, since results are read while
 *       the experiment runs; the planned sample is reached when every primary metric with a minimum
 *       detectable effect has the units its power analysis asks for.</li>
 *   <li>The power analysis plans for that always-valid test (80 % power at the MDE, from the control's
 *       observed rate or standard deviation), and each metric's sequence is tuned to its plan, where it is
 *       then narrowest; a metric without a plan (no MDE, no usable baseline yet) keeps GrowthBook's
 *       N* = 5000. The fixed-horizon sample for the same MDE is reported alongside.</li>
 * </ul>
 * Pure: no I/O, same totals in, same results out.
 */
public final class ExperimentAnalyzer {

    public static final double ALPHA = 0.05;
    public static final double POWER = 0.8;
    private static final double MILLIS_PER_DAY = 86_400_000.0;

    private final TwoProportionZTest zTest = new TwoProportionZTest(ALPHA);
    private final WelchTTest welch = new WelchTTest(ALPHA);
    private final AsymptoticConfidenceSequence untunedSequence = new AsymptoticConfidenceSequence(ALPHA);
    private final BetaBinomialComparison bayes = new BetaBinomialComparison();
    private final SampleRatioMismatchTest srmTest = new SampleRatioMismatchTest();
    private final SampleSizeCalculator sampleSize = new SampleSizeCalculator(ALPHA, POWER);
    private final DecisionHelper decisionHelper = new DecisionHelper(ALPHA);

    /** A comparison before multiplicity adjustment. */
    private record Raw(FixedHorizonResult fixed, SequentialResult sequential, OptionalDouble chanceToBeat) {}

    /** Units per variant for 80 % power at the MDE: for the always-valid test (the plan) and for the fixed-horizon one. */
    private record Required(long sequential, long fixedHorizon) {}

    /** @param totals one per variant of the scope, in its order (control first) */
    public ExperimentResults analyze(AnalysisScope scope, List<VariantTotals> totals, long nowMillis) {
        if (totals.size() != scope.variants().size()) {
            throw new IllegalArgumentException("totals must have one entry per variant " + scope.variants() + ", had " + totals.size());
        }
        List<MetricSpec> metrics = scope.spec().metrics();
        Raw[][] raw = new Raw[metrics.size()][totals.size()];
        List<Optional<Required>> requiredUnits = new ArrayList<>();
        List<Double> fixedP = new ArrayList<>();
        List<Double> sequentialP = new ArrayList<>();
        for (int m = 0; m < metrics.size(); m++) {
            requiredUnits.add(required(metrics.get(m), m, totals.get(0)));
            AsymptoticConfidenceSequence sequence = requiredUnits.get(m)
                    .map(r -> AsymptoticConfidenceSequence.tunedTo(ALPHA, r.sequential())).orElse(untunedSequence);
            for (int v = 1; v < totals.size(); v++) {
                raw[m][v] = compare(metrics.get(m), m, totals.get(0), totals.get(v), sequence).orElse(null);
                if (raw[m][v] != null) {
                    fixedP.add(raw[m][v].fixed().pValue());
                    sequentialP.add(raw[m][v].sequential().pValue());
                }
            }
        }
        double[] fixedHolm = PValueAdjustment.HOLM.adjust(fixedP.stream().mapToDouble(Double::doubleValue).toArray());
        double[] sequentialHolm = PValueAdjustment.HOLM.adjust(sequentialP.stream().mapToDouble(Double::doubleValue).toArray());

        List<MetricResult> results = new ArrayList<>();
        int next = 0;
        for (int m = 0; m < metrics.size(); m++) {
            List<VariantResult> variants = new ArrayList<>();
            for (int v = 0; v < totals.size(); v++) {
                VariantTotals t = totals.get(v);
                Optional<Comparison> comparison = Optional.empty();
                if (raw[m][v] != null) {
                    comparison = Optional.of(new Comparison(raw[m][v].fixed(), fixedHolm[next], raw[m][v].sequential(),
                            sequentialHolm[next], raw[m][v].chanceToBeat()));
                    next++;
                }
                double estimate = t.units() == 0 ? Double.NaN : t.metrics().get(m).sum() / t.units();
                variants.add(new VariantResult(t.variant(), v == 0, t.units(), estimate, comparison));
            }
            results.add(new MetricResult(metrics.get(m), variants, requiredUnits.get(m).map(r -> plan(scope, r, totals, nowMillis))));
        }
        SrmCheck srm = srm(scope, totals);
        return new ExperimentResults(scope.spec().name(), scope.spec().kind().wireName(), scope.control(), nowMillis,
                scope.sinceMillis(), ALPHA, srm, results, metrics.isEmpty() ? List.of() : decisions(scope, results, srm));
    }

    private Optional<Raw> compare(MetricSpec metric, int index, VariantTotals control, VariantTotals treatment,
                                  AsymptoticConfidenceSequence sequence) {
        if (metric.kind() == MetricSpec.Kind.BINARY) {
            if (control.units() < 1 || treatment.units() < 1) {
                return Optional.empty();
            }
            ProportionSummary c = proportion(control, index);
            ProportionSummary t = proportion(treatment, index);
            return Optional.of(new Raw(zTest.test(c, t), sequence.test(c, t),
                    OptionalDouble.of(bayes.compare(c, t, metric.direction()).chanceToBeatControl())));
        }
        if (control.units() < 2 || treatment.units() < 2) {
            return Optional.empty();
        }
        MeanSummary c = mean(control, index);
        MeanSummary t = mean(treatment, index);
        if (c.variance() == 0.0 && t.variance() == 0.0) {
            // both arms constant: no test is defined (Welch divides by the pooled standard error)
            return Optional.empty();
        }
        return Optional.of(new Raw(welch.test(c, t), sequence.test(c, t), OptionalDouble.empty()));
    }

    private static ProportionSummary proportion(VariantTotals totals, int index) {
        // the sum of 0/1 conversions is a whole number; rounding only removes floating-point noise
        return new ProportionSummary(totals.units(), Math.round(totals.metrics().get(index).sum()));
    }

    private static MeanSummary mean(VariantTotals totals, int index) {
        VariantTotals.MetricTotals metric = totals.metrics().get(index);
        return MeanSummary.fromSums(totals.units(), metric.sum(), metric.sumOfSquares());
    }

    /** Empty without a minimum detectable effect, or while the control has no usable baseline. */
    private Optional<Required> required(MetricSpec metric, int index, VariantTotals control) {
        if (metric.minimumDetectableEffect().isEmpty()) {
            return Optional.empty();
        }
        Mde mde = Mde.relative(metric.minimumDetectableEffect().getAsDouble());
        try {
            if (metric.kind() == MetricSpec.Kind.BINARY) {
                if (control.units() < 1) {
                    return Optional.empty();
                }
                double rate = proportion(control, index).mean();
                return Optional.of(new Required(sampleSize.sequentialUnitsPerVariantForProportion(rate, mde),
                        sampleSize.unitsPerVariantForProportion(rate, mde)));
            }
            if (control.units() < 2) {
                return Optional.empty();
            }
            MeanSummary baseline = mean(control, index);
            double sd = Math.sqrt(baseline.variance());
            return Optional.of(new Required(sampleSize.sequentialUnitsPerVariantForMean(baseline.mean(), sd, mde),
                    sampleSize.unitsPerVariantForMean(baseline.mean(), sd, mde)));
        } catch (IllegalArgumentException noUsableBaseline) {
            // a rate of 0 or 1, a zero mean or no variance yet: the power formula has nothing to work with
            return Optional.empty();
        }
    }

    private static SamplePlan plan(AnalysisScope scope, Required required, List<VariantTotals> totals, long nowMillis) {
        List<VariantTotals> weighted = totals.stream().filter(t -> scope.weights().containsKey(t.variant())).toList();
        long start = weighted.stream().mapToLong(VariantTotals::firstExposureMillis).min().orElse(nowMillis);
        double elapsedDays = Math.max(1.0, nowMillis - start) / MILLIS_PER_DAY;
        long[] current = weighted.stream().mapToLong(VariantTotals::units).toArray();
        double[] daily = weighted.stream().mapToDouble(t -> t.units() / elapsedDays).toArray();
        return new SamplePlan(required.sequential(), required.fixedHorizon(), current.length == 0 ? Double.POSITIVE_INFINITY
                : TimeRemaining.days(required.sequential(), current, daily));
    }

    private SrmCheck srm(AnalysisScope scope, List<VariantTotals> totals) {
        Map<String, Long> units = new LinkedHashMap<>();
        totals.forEach(t -> units.put(t.variant(), t.units()));
        if (scope.weights().size() < 2) {
            return new SrmCheck(units, scope.weights(), Optional.empty());
        }
        long[] observed = scope.weights().keySet().stream().mapToLong(v -> units.getOrDefault(v, 0L)).toArray();
        double[] weights = scope.weights().values().stream().mapToDouble(Double::doubleValue).toArray();
        return new SrmCheck(units, scope.weights(), Optional.of(srmTest.test(observed, weights)));
    }

    private List<VariantDecision> decisions(AnalysisScope scope, List<MetricResult> results, SrmCheck srm) {
        // with a single weighted variant there is no split that could be broken
        SrmResult split = srm.result().orElse(new SrmResult(0.0, 1.0, true));
        boolean planned = results.stream().anyMatch(r -> !r.metric().guardrail() && r.plan().isPresent())
                && results.stream().filter(r -> !r.metric().guardrail() && r.metric().minimumDetectableEffect().isPresent())
                        .allMatch(r -> r.plan().map(SamplePlan::reached).orElse(false));
        List<VariantDecision> out = new ArrayList<>();
        for (int v = 1; v < scope.variants().size(); v++) {
            List<MetricEvidence> evidence = new ArrayList<>();
            for (MetricResult result : results) {
                VariantResult variant = result.variants().get(v);
                variant.comparison().ifPresent(c -> evidence.add(new MetricEvidence(result.metric().name(),
                        result.metric().direction(), result.metric().guardrail(),
                        new SequentialResult(c.pValueSequentialHolm(), c.sequential().absolute(), c.sequential().relative()))));
            }
            Recommendation recommendation = evidence.stream().allMatch(MetricEvidence::guardrail)
                    ? new Recommendation(Decision.KEEP_RUNNING, List.of("no primary metric can be compared yet: too few units, or the spec has only guardrails"))
                    : decisionHelper.decide(evidence, split, planned);
            out.add(new VariantDecision(scope.variants().get(v), recommendation));
        }
        return out;
    }
}
