package dev.modelgate.experiments.stats.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.experiments.stats.ProportionSummary;
import dev.modelgate.experiments.stats.fixed.FixedHorizonResult;
import dev.modelgate.experiments.stats.fixed.TwoProportionZTest;
import dev.modelgate.experiments.stats.power.Mde;
import dev.modelgate.experiments.stats.power.SampleSizeCalculator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Seeded Monte Carlo of the experiment decision as the analyzer makes it: the always-valid p-value, with
 * the sequence tuned to the plan computed from the control's observed rate at each look, read every
 * 100 units (50 per arm) from the first look to the planned sample; side by side with the fixed-horizon
 * z-test read once at its own planned sample, the same z-test read at every look, and the sequence at
 * GrowthBook's default N* = 5000. Binary metric, 10 % baseline, relative MDE 20 % (10 % → 12 %), α = 0.05,
 * power 0.8: the fixed-horizon plan is 3,841 units per arm, the sequential plan 7,350. The figures are
 * printed and quoted in the README ("How much power reading at any time costs").
 */
class SequentialPlanSimulationTest {

    private static final double ALPHA = 0.05;
    private static final double BASELINE = 0.10;
    private static final Mde MDE = Mde.relative(0.20);
    private static final int RUNS = 2_000;
    private static final int UNITS_PER_ARM_PER_LOOK = 50;

    private final SampleSizeCalculator calculator = new SampleSizeCalculator(ALPHA, 0.8);
    private final long fixedPlan = calculator.unitsPerVariantForProportion(BASELINE, MDE);
    private final long sequentialPlan = calculator.sequentialUnitsPerVariantForProportion(BASELINE, MDE);
    private final TwoProportionZTest zTest = new TwoProportionZTest(ALPHA);
    private final AsymptoticConfidenceSequence untuned = new AsymptoticConfidenceSequence(ALPHA);

    /** Shares of runs in which each procedure called a significant difference (for power: in the right direction). */
    private record Rates(double tuned, double tunedByFixedPlan, double untuned, double fixedOnce, double fixedPeeked) {

        String describe(String scenario) {
            return String.format(Locale.ROOT, "%s: always-valid tuned to plan %.2f %% (by the fixed-horizon plan %.2f %%), "
                    + "N*=5000 %.2f %%, fixed-horizon once %.2f %%, fixed-horizon peeked %.2f %%", scenario,
                    100 * tuned, 100 * tunedByFixedPlan, 100 * untuned, 100 * fixedOnce, 100 * fixedPeeked);
        }
    }

    @Test
    void peekingEveryHundredUnitsKeepsFalsePositivesBelowAlpha() {
        Rates rates = simulate(BASELINE, false, new SplittableRandom(20_261_207));
        System.out.println(rates.describe("no effect (false positives)"));

        assertThat(rates.tuned()).as("false positives of the decision, peeked every 100 units").isLessThanOrEqualTo(ALPHA);
        assertThat(rates.untuned()).isLessThanOrEqualTo(ALPHA);
        // the simulation is sensitive enough to see what peeking does to a fixed-horizon test
        assertThat(rates.fixedPeeked()).isGreaterThan(2 * ALPHA);
        assertThat(rates.fixedOnce()).isBetween(0.035, 0.065);
    }

    @Test
    void anEffectOfTheMdeIsFoundWithEightyPercentPowerByThePlannedSample() {
        assertThat(fixedPlan).isEqualTo(3_841);
        assertThat(sequentialPlan).isEqualTo(7_350);
        Rates rates = simulate(BASELINE * (1 + 0.20), true, new SplittableRandom(7));
        System.out.println(rates.describe("effect of the MDE (power)"));

        assertThat(rates.tuned()).as("power of the decision by the sequential plan").isGreaterThanOrEqualTo(0.80);
        assertThat(rates.fixedOnce()).as("power of the fixed-horizon test at its plan").isBetween(0.77, 0.83);
        assertThat(rates.tunedByFixedPlan()).as("the always-valid test needs more units for the same power")
                .isLessThan(rates.fixedOnce());
    }

    /** What each procedure said in one simulated experiment. */
    private record Run(boolean tuned, boolean tunedByFixedPlan, boolean untuned, boolean fixedOnce, boolean fixedPeeked) {}

    private Rates simulate(double treatmentRate, boolean countImprovementsOnly, SplittableRandom random) {
        List<Run> runs = IntStream.range(0, RUNS).mapToObj(i -> run(treatmentRate, countImprovementsOnly, random)).toList();
        return new Rates(share(runs, Run::tuned), share(runs, Run::tunedByFixedPlan), share(runs, Run::untuned),
                share(runs, Run::fixedOnce), share(runs, Run::fixedPeeked));
    }

    /** One experiment, unit by unit in each arm, read every 50 units per arm up to the sequential plan. */
    private Run run(double treatmentRate, boolean countImprovementsOnly, SplittableRandom random) {
        long control = 0;
        long treatment = 0;
        boolean tuned = false;
        boolean tunedByFixedPlan = false;
        boolean untunedHit = false;
        boolean fixedOnce = false;
        boolean fixedPeeked = false;
        for (long units = 1; units <= sequentialPlan; units++) {
            control += random.nextDouble() < BASELINE ? 1 : 0;
            treatment += random.nextDouble() < treatmentRate ? 1 : 0;
            if (units == fixedPlan) {
                fixedOnce = significant(zTest.test(new ProportionSummary(units, control),
                        new ProportionSummary(units, treatment)), countImprovementsOnly);
                tunedByFixedPlan = tuned;
            }
            if (units % UNITS_PER_ARM_PER_LOOK == 0) {
                ProportionSummary c = new ProportionSummary(units, control);
                ProportionSummary t = new ProportionSummary(units, treatment);
                tuned |= significant(tunedToPlan(c).test(c, t), countImprovementsOnly);
                untunedHit |= significant(untuned.test(c, t), countImprovementsOnly);
                fixedPeeked |= significant(zTest.test(c, t), countImprovementsOnly);
            }
        }
        return new Run(tuned, tunedByFixedPlan, untunedHit, fixedOnce, fixedPeeked);
    }

    private static double share(List<Run> runs, Predicate<Run> outcome) {
        return (double) runs.stream().filter(outcome).count() / runs.size();
    }

    /** As the analyzer: tuned to the sequential plan for the control's rate so far, N* = 5000 while there is none. */
    private AsymptoticConfidenceSequence tunedToPlan(ProportionSummary control) {
        try {
            return AsymptoticConfidenceSequence.tunedTo(ALPHA, calculator.sequentialUnitsPerVariantForProportion(control.mean(), MDE));
        } catch (IllegalArgumentException noRateYet) {
            return untuned;
        }
    }

    private static boolean significant(SequentialResult result, boolean improvementsOnly) {
        return result.pValue() < ALPHA && (!improvementsOnly || result.absolute().estimate() > 0);
    }

    private static boolean significant(FixedHorizonResult result, boolean improvementsOnly) {
        return result.pValue() < ALPHA && (!improvementsOnly || result.statistic() > 0);
    }
}
