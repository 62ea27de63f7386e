package dev.modelgate.gateway.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.modelgate.experiments.canary.CanaryState;
import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentMeta;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.HealthGates;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.spec.Variant;
import dev.modelgate.experiments.stats.decision.Decision;
import dev.modelgate.experiments.stats.decision.Direction;
import dev.modelgate.gateway.state.StoredExperiment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Results from per-variant totals, against SciPy 1.17 on the same numbers. Reference snippet
 * (python3, numpy + scipy), run as one script:
 * <pre>
 * import numpy as np; from scipy import stats, integrate
 * n1,x1,n2,x2=2000,200,2000,260
 * p=(x1+x2)/(n1+n2); se=np.sqrt(p*(1-p)*(1/n1+1/n2)); z=(x2/n2-x1/n1)/se
 * pz=2*stats.norm.sf(abs(z)); print("z_p", repr(pz))                                  # 0.002942093070459276
 * d=x2/n2-x1/n1; seu=np.sqrt(x1/n1*(1-x1/n1)/n1+x2/n2*(1-x2/n2)/n2); q=stats.norm.ppf(0.975)
 * print("ci", repr(d-q*seu), repr(d+q*seu))               # 0.010249047029535802 0.049750952970464196
 * # the sequence is tuned to the metric's sequential plan, 7350 units per variant (below): N* = 14700
 * a=0.05; rho2=(-2*np.log(a)+np.log(-2*np.log(a)+1))/14700; N=n1+n2; V=seu**2
 * print("seq_p", min(1, np.sqrt(N*rho2+1)*np.exp(-d*d*N*rho2/(2*V*(N*rho2+1)))))     # 0.08598602970555483
 * def ms(n,s,ss): m=s/n; return m, np.sqrt((ss-s*m)/(n-1))
 * m1,s1=ms(2000,10000.0,90000.0); m2,s2=ms(2000,10400.0,95000.0)
 * t=stats.ttest_ind_from_stats(m2,s2,2000,m1,s1,2000,equal_var=False); print(t.pvalue) # 0.15986132221489296
 * ps=np.array([pz,t.pvalue]); o=np.argsort(ps); adj=np.empty(2); run=0             # Holm (1979)
 * for i,k in enumerate(o): run=max(run,min(1,(2-i)*ps[k])); adj[k]=run
 * print("holm", adj)                                           # 0.005884186140918552 0.15986132221489296
 * print(stats.chisquare([2000,2200],[2100,2100]).pvalue)                              # 0.0020282311484520824
 * p1,p2=0.10,0.12; pb=(p1+p2)/2; za=stats.norm.ppf(0.975); zb=stats.norm.ppf(0.8)
 * print(int(np.ceil((za*np.sqrt(2*pb*(1-pb))+zb*np.sqrt(p1*(1-p1)+p2*(1-p2)))**2/(p2-p1)**2)))  # 3841
 * k=-2*np.log(a)+np.log(1-2*np.log(a)); c=np.sqrt(2*(k+1)/k*np.log(np.sqrt(k+1)/a))   # 3.035, the sequence at N*
 * print(int(np.ceil((c+zb)**2*(p1*(1-p1)+p2*(1-p2))/(p2-p1)**2)))                     # 7350
 * T=stats.beta(261,1741); C=stats.beta(201,1801)
 * print(integrate.quad(lambda u: T.pdf(u)*C.cdf(u), 0.05, 0.25, epsabs=1e-13, limit=200)[0])  # 0.9985309319283482
 * x2=320; d=x2/n2-x1/n1; V=x1/n1*(1-x1/n1)/n1+x2/n2*(1-x2/n2)/n2
 * print(min(1, np.sqrt(N*rho2+1)*np.exp(-d*d*N*rho2/(2*V*(N*rho2+1)))))              # 3.074024138379488e-05
 * print(stats.chisquare([2000,2300],[2150,2150]).pvalue)                              # 4.763175554746923e-06
 * </pre>
 */
class ExperimentAnalyzerTest {

    private static final long NOW = Instant.parse("2026-03-03T00:00:00Z").toEpochMilli();
    private static final long TWO_DAYS_AGO = NOW - Duration.ofDays(2).toMillis();
    private static final MetricSpec CONVERTED = new MetricSpec("converted", MetricSpec.Kind.BINARY, Direction.HIGHER_IS_BETTER,
            OptionalDouble.of(0.2), false, MetricSpec.Source.FEEDBACK);
    private static final MetricSpec REVENUE = new MetricSpec("revenue", MetricSpec.Kind.CONTINUOUS, Direction.HIGHER_IS_BETTER,
            OptionalDouble.empty(), false, MetricSpec.Source.FEEDBACK);

    private final ExperimentAnalyzer analyzer = new ExperimentAnalyzer();

    @Test
    void everyStatisticMatchesSciPyOnTheSameTotals() {
        AnalysisScope scope = abScope(List.of(CONVERTED, REVENUE), 50, 50);
        ExperimentResults results = analyzer.analyze(scope, List.of(
                totals("control", 2000, 200, 10_000, 90_000), totals("treatment", 2000, 260, 10_400, 95_000)), NOW);

        VariantResult control = results.metrics().get(0).variants().get(0);
        assertThat(control.control()).isTrue();
        assertThat(control.n()).isEqualTo(2000);
        assertThat(control.estimate()).isEqualTo(0.10);
        assertThat(control.comparison()).isEmpty();

        VariantResult treated = results.metrics().get(0).variants().get(1);
        assertThat(treated.estimate()).isEqualTo(0.13);
        Comparison conversion = treated.comparison().orElseThrow();
        assertThat(conversion.fixed().pValue()).isCloseTo(0.002942093070459276, within(1e-12));
        assertThat(conversion.fixed().absolute().interval().lower()).isCloseTo(0.010249047029535802, within(1e-12));
        assertThat(conversion.fixed().absolute().interval().upper()).isCloseTo(0.049750952970464196, within(1e-12));
        assertThat(conversion.fixed().relative().orElseThrow().estimate()).isCloseTo(0.3, within(1e-12));
        assertThat(conversion.sequential().pValue()).isCloseTo(0.08598602970555483, within(1e-12));
        assertThat(conversion.chanceToBeat().getAsDouble()).isCloseTo(0.9985309319283482, within(1e-8));
        assertThat(conversion.pValueHolm()).isCloseTo(0.005884186140918552, within(1e-12));

        Comparison revenue = results.metrics().get(1).variants().get(1).comparison().orElseThrow();
        assertThat(results.metrics().get(1).variants().get(1).estimate()).isEqualTo(5.2);
        assertThat(revenue.fixed().pValue()).isCloseTo(0.15986132221489296, within(1e-10));
        assertThat(revenue.pValueHolm()).isCloseTo(0.15986132221489296, within(1e-10));
        assertThat(revenue.chanceToBeat()).isEmpty();

        SamplePlan plan = results.metrics().get(0).plan().orElseThrow();
        assertThat(plan.requiredPerVariant()).isEqualTo(7350);
        assertThat(plan.fixedHorizonPerVariant()).isEqualTo(3841);
        // 2000 units per variant in 2 days: the missing 5350 take 5.35 days
        assertThat(plan.daysRemaining()).isCloseTo(5.35, within(1e-9));
        assertThat(results.metrics().get(1).plan()).as("no minimum detectable effect, no plan").isEmpty();

        assertThat(results.srm().pValue()).isEqualTo(1.0);
        assertThat(results.decisions()).singleElement().satisfies(d -> {
            assertThat(d.variant()).isEqualTo("treatment");
            // fixed-horizon p = 0.003, but the always-valid p (0.086) is what may be read while running
            assertThat(d.recommendation().decision()).isEqualTo(Decision.KEEP_RUNNING);
        });
    }

    @Test
    void aClearWinnerIsShippedAndABrokenSplitOverridesEverything() {
        AnalysisScope scope = abScope(List.of(CONVERTED), 50, 50);

        ExperimentResults winner = analyzer.analyze(scope, List.of(
                totals("control", 2000, 200), totals("treatment", 2000, 320)), NOW);
        assertThat(winner.metrics().get(0).variants().get(1).comparison().orElseThrow().sequential().pValue())
                .isCloseTo(3.074024138379488e-05, within(1e-15));
        assertThat(winner.decisions().get(0).recommendation().decision()).isEqualTo(Decision.SHIP);
        assertThat(winner.decisions().get(0).recommendation().reasons().get(0)).contains("converted significantly better");

        ExperimentResults skewed = analyzer.analyze(scope, List.of(
                totals("control", 2000, 200), totals("treatment", 2300, 368)), NOW);
        assertThat(skewed.srm().pValue()).isCloseTo(4.763175554746923e-06, within(1e-15));
        assertThat(skewed.srm().alarm()).isTrue();
        assertThat(skewed.decisions().get(0).recommendation().decision()).isEqualTo(Decision.INCONCLUSIVE);
    }

    @Test
    void harmOnALowerIsBetterGuardrailStopsTheTreatment() {
        MetricSpec errors = new MetricSpec("errors", MetricSpec.Kind.BINARY, Direction.LOWER_IS_BETTER, OptionalDouble.empty(),
                true, MetricSpec.Source.FEEDBACK);
        ExperimentResults results = analyzer.analyze(abScope(List.of(CONVERTED, errors), 50, 50), List.of(
                new VariantTotals("control", 2000, TWO_DAYS_AGO, List.of(binary(200), binary(100))),
                new VariantTotals("treatment", 2000, TWO_DAYS_AGO, List.of(binary(205), binary(220)))), NOW);

        assertThat(results.decisions().get(0).recommendation().decision()).isEqualTo(Decision.STOP);
        assertThat(results.decisions().get(0).recommendation().reasons().get(0)).contains("guardrail errors significantly worse");
    }

    /*
     * The demo's chargeback metric, where the challenger cuts the rate from 30.6 % to 7.2 %. Reference (SciPy 1.17):
     *   from scipy.stats import beta; from scipy.integrate import quad
     *   C, T = beta(1 + 153, 1 + 347), beta(1 + 36, 1 + 464)
     *   quad(lambda u: T.pdf(u) * C.sf(u), 0, 1, epsabs=0, epsrel=1e-13, limit=500, points=[0.072, 0.306])[0]
     *   # P(p_t < p_c) = 0.9999999999999998 (P(p_t > p_c) = 1.33e-22 with mpmath)
     */
    @Test
    void chanceToBeatOfALowerIsBetterMetricIsTheChanceOfALowerRate() throws Exception {
        MetricSpec chargeback = new MetricSpec("chargeback", MetricSpec.Kind.BINARY, Direction.LOWER_IS_BETTER,
                OptionalDouble.empty(), false, MetricSpec.Source.FEEDBACK);
        ExperimentResults results = analyzer.analyze(abScope(List.of(chargeback), 50, 50), List.of(
                totals("control", 500, 153), totals("treatment", 500, 36)), NOW);

        assertThat(results.decisions().get(0).recommendation().decision()).isEqualTo(Decision.SHIP);
        assertThat(results.metrics().get(0).variants().get(1).comparison().orElseThrow().chanceToBeat().getAsDouble())
                .isCloseTo(0.9999999999999998, within(1e-12));
        String table = ReportTable.render(new com.fasterxml.jackson.databind.ObjectMapper().readTree(ResultsJson.of(results).encode()));
        assertThat(table.lines().filter(line -> line.startsWith("chargeback  treatment")).findFirst().orElseThrow())
                .as("the P(beat) column").contains(" 1.000 ");
    }

    /*
     * Weights 90/10 against a split close to 50/50. Reference (SciPy 1.17):
     *   from scipy.stats import chisquare; chisquare([206, 194], [360, 40]).pvalue   # 2.7550975896281413e-145
     */
    @Test
    void aGrossMismatchReportsItsTinyPValueInTheResultsAndTheGauge() {
        ExperimentResults results = analyzer.analyze(abScope(List.of(CONVERTED), 90, 10), List.of(
                totals("control", 206, 20), totals("treatment", 194, 20)), NOW);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SrmGauges(registry).update(results);

        assertThat(results.srm().pValue()).isCloseTo(2.7550975896281413e-145, withinPercentage(1e-8));
        assertThat(registry.get("modelgate.experiment.srm.pvalue").tag("experiment", "exp").gauge().value())
                .isCloseTo(2.7550975896281413e-145, withinPercentage(1e-8));
    }

    @Test
    void srmIsCheckedAgainstTheConfiguredWeights() {
        ExperimentResults results = analyzer.analyze(abScope(List.of(CONVERTED), 50, 50), List.of(
                totals("control", 2000, 200), totals("treatment", 2200, 220)), NOW);

        assertThat(results.srm().pValue()).isCloseTo(0.0020282311484520824, within(1e-15));
        assertThat(results.srm().alarm()).as("p = 0.002 is above the 0.001 alarm threshold").isFalse();
        assertThat(results.srm().units()).containsExactly(Map.entry("control", 2000L), Map.entry("treatment", 2200L));
    }

    @Test
    void withoutUnitsNothingIsComparedAndNothingBreaks() {
        ExperimentResults results = analyzer.analyze(abScope(List.of(CONVERTED, REVENUE), 50, 50), List.of(
                VariantTotals.none("control", 2), totals("treatment", 1, 1, 3, 9)), NOW);

        assertThat(results.metrics()).allSatisfy(m -> assertThat(m.variants()).allSatisfy(v -> assertThat(v.comparison()).isEmpty()));
        assertThat(results.metrics().get(0).variants().get(0).estimate()).isNaN();
        assertThat(results.decisions().get(0).recommendation().decision()).isEqualTo(Decision.KEEP_RUNNING);
        assertThat(ResultsJson.of(results).encode()).contains("\"estimate\":null");
    }

    @Test
    void aCanaryIsAnalysedOverItsCurrentStepAgainstItsCurrentWeight() {
        CanarySpec spec = new CanarySpec(new ExperimentMeta("rollout", "m", "rollout", ExperimentStatus.RUNNING, "v1",
                List.of(CONVERTED)), "v1", "v2", List.of(10.0, 50.0, 100.0), Duration.ZERO, 1, new HealthGates(1, 2));
        Instant stepStart = Instant.ofEpochMilli(TWO_DAYS_AGO);
        StoredExperiment stored = new StoredExperiment(spec, Optional.of(CanaryState.start(spec, stepStart)),
                stepStart, "test", Optional.empty(), 0);

        AnalysisScope scope = AnalysisScope.of(stored).orElseThrow();

        assertThat(scope.variants()).containsExactly("v1", "v2");
        assertThat(scope.weights()).containsExactly(Map.entry("v1", 90.0), Map.entry("v2", 10.0));
        assertThat(scope.sinceMillis()).isEqualTo(TWO_DAYS_AGO);
    }

    private static AnalysisScope abScope(List<MetricSpec> metrics, double controlWeight, double treatmentWeight) {
        AbSpec spec = new AbSpec(new ExperimentMeta("exp", "m", "exp", ExperimentStatus.RUNNING, "control", metrics),
                List.of(new Variant("control", controlWeight), new Variant("treatment", treatmentWeight)), List.of(), 0);
        return AnalysisScope.of(StoredExperiment.created(spec, Instant.ofEpochMilli(TWO_DAYS_AGO), "test")).orElseThrow();
    }

    private static VariantTotals totals(String variant, long units, long conversions) {
        return new VariantTotals(variant, units, TWO_DAYS_AGO, List.of(binary(conversions)));
    }

    private static VariantTotals totals(String variant, long units, long conversions, double revenue, double revenueSquares) {
        return new VariantTotals(variant, units, TWO_DAYS_AGO,
                List.of(binary(conversions), new VariantTotals.MetricTotals(revenue, revenueSquares)));
    }

    private static VariantTotals.MetricTotals binary(long conversions) {
        return new VariantTotals.MetricTotals(conversions, conversions);
    }
}
