package dev.modelgate.experiments.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentMeta;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.HealthGates;
import dev.modelgate.experiments.spec.ShadowBudget;
import dev.modelgate.experiments.spec.ShadowSpec;
import dev.modelgate.experiments.spec.TargetingRule;
import dev.modelgate.experiments.spec.Variant;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

class VariantAssignerTest {

    private static final int UNITS = 100_000;
    private static final List<String> UNIT_IDS = IntStream.range(0, UNITS).mapToObj(i -> "user-" + i).toList();

    @Test
    void fiftyFiftySplitIsUniform() {
        AbSpec spec = ab("fifty", List.of(new Variant("control", 50), new Variant("treatment", 50)), List.of(), 0);

        assertThat(chiSquarePValue(spec)).isGreaterThan(0.001);
    }

    @Test
    void tenThirtySixtySplitIsUniform() {
        AbSpec spec = ab("three-way", List.of(new Variant("control", 10), new Variant("a", 30), new Variant("b", 60)), List.of(), 0);

        assertThat(chiSquarePValue(spec)).isGreaterThan(0.001);
    }

    @Test
    void sameUnitGetsTheSameVariantAcrossCallsAndAcrossSpecInstances() {
        List<Variant> variants = List.of(new Variant("control", 34), new Variant("a", 33), new Variant("b", 33));
        VariantAssigner first = VariantAssigner.forAb(ab("sticky", variants, List.of(), 0), new SplittableRandom(1));
        VariantAssigner second = VariantAssigner.forAb(ab("sticky", variants, List.of(), 0), new SplittableRandom(2));

        for (String unit : UNIT_IDS.subList(0, 5_000)) {
            Assignment once = first.assign(AssignmentRequest.forUnit(unit));
            assertThat(first.assign(AssignmentRequest.forUnit(unit))).isEqualTo(once);
            assertThat(second.assign(AssignmentRequest.forUnit(unit))).isEqualTo(once);
            assertThat(once.reason()).isEqualTo(AssignmentReason.HASH);
        }
    }

    @Test
    void theSaltDecidesTheShuffle() {
        List<Variant> variants = List.of(new Variant("control", 50), new Variant("treatment", 50));
        VariantAssigner named = VariantAssigner.forAb(ab("exp", variants, List.of(), 0), new SplittableRandom(1));
        VariantAssigner resalted = VariantAssigner.forAb(new AbSpec(
                new ExperimentMeta("exp", "model", "exp-v2", ExperimentStatus.RUNNING, "control"), variants, List.of(), 0),
                new SplittableRandom(1));

        long moved = UNIT_IDS.subList(0, 10_000).stream()
                .filter(u -> !variantOf(named, u).equals(variantOf(resalted, u))).count();

        // Independent 50/50 splits disagree for half of the units; 5000 +- 5 sigma (sigma = 50).
        assertThat(moved).isBetween(4750L, 5250L);
    }

    @Test
    void raisingTheCanaryOnlyEverMovesUnitsFromBaselineToCandidate() {
        CanarySpec spec = canary();
        Map<String, String> previous = assignAll(VariantAssigner.forCanary(spec, 0, new SplittableRandom(1)));
        assertThat(previous.values()).containsOnly("baseline");

        for (double weight : new double[] {5, 25, 50, 100}) {
            Map<String, String> current = assignAll(VariantAssigner.forCanary(spec, weight, new SplittableRandom(1)));
            for (String unit : UNIT_IDS) {
                if (!previous.get(unit).equals(current.get(unit))) {
                    assertThat(previous.get(unit) + "->" + current.get(unit)).as("unit %s at %s%%", unit, weight)
                            .isEqualTo("baseline->candidate");
                }
            }
            long candidates = current.values().stream().filter("candidate"::equals).count();
            assertThat((double) candidates / UNITS).isCloseTo(weight / 100, offset(0.01));
            previous = current;
        }
    }

    @Test
    void rampingTheFirstTreatmentOfAnAbTestMovesUnitsOnlyBetweenItAndItsNeighbour() {
        Map<String, String> before = assignAll(VariantAssigner.forAb(ab("ramp",
                List.of(new Variant("control", 80), new Variant("treatment", 20)), List.of(), 0), new SplittableRandom(1)));
        Map<String, String> after = assignAll(VariantAssigner.forAb(ab("ramp",
                List.of(new Variant("control", 50), new Variant("treatment", 50)), List.of(), 0), new SplittableRandom(1)));

        for (String unit : UNIT_IDS) {
            if (!before.get(unit).equals(after.get(unit))) {
                assertThat(before.get(unit) + "->" + after.get(unit)).isEqualTo("control->treatment");
            }
        }
    }

    @Test
    void holdoutServesTheDefaultWithoutReshufflingTheUnitsThatStayIn() {
        List<Variant> variants = List.of(new Variant("control", 20), new Variant("a", 40), new Variant("b", 40));
        VariantAssigner without = VariantAssigner.forAb(ab("held", variants, List.of(), 0), new SplittableRandom(1));
        VariantAssigner with = VariantAssigner.forAb(ab("held", variants, List.of(), 10), new SplittableRandom(1));

        long heldOut = 0;
        for (String unit : UNIT_IDS) {
            Assignment in = without.assign(AssignmentRequest.forUnit(unit));
            Assignment maybeOut = with.assign(AssignmentRequest.forUnit(unit));
            if (maybeOut.reason() == AssignmentReason.DEFAULT) {
                heldOut++;
                assertThat(maybeOut.variant()).isEqualTo("control");
            } else {
                assertThat(maybeOut).isEqualTo(in);
            }
        }
        // Binomial(100000, 0.1): 10000 +- 5 sigma (sigma ~ 95).
        assertThat(heldOut).isBetween(9525L, 10475L);
    }

    @Test
    void holdoutIsIndependentOfTheVariantBucket() {
        List<Variant> variants = List.of(new Variant("control", 50), new Variant("treatment", 50));
        VariantAssigner without = VariantAssigner.forAb(ab("indep", variants, List.of(), 0), new SplittableRandom(1));
        VariantAssigner with = VariantAssigner.forAb(ab("indep", variants, List.of(), 30), new SplittableRandom(1));
        Map<String, Long> heldOutByVariant = new HashMap<>();
        for (String unit : UNIT_IDS) {
            if (with.assign(AssignmentRequest.forUnit(unit)).reason() == AssignmentReason.DEFAULT) {
                heldOutByVariant.merge(variantOf(without, unit), 1L, Long::sum);
            }
        }
        long control = heldOutByVariant.get("control");
        long treatment = heldOutByVariant.get("treatment");

        // Held-out units come from both halves alike: the two counts are a 50/50 split of the holdout.
        assertThat(new ChiSquareTest().chiSquareTest(new double[] {0.5, 0.5}, new long[] {control, treatment}))
                .isGreaterThan(0.001);
    }

    @Test
    void targetingRulesApplyInOrderBeforeTheSplit() {
        List<TargetingRule> rules = List.of(
                TargetingRule.exclude("x-tier", List.of("internal")),
                TargetingRule.route("country", List.of("DE", "AT"), "treatment"),
                TargetingRule.route("country", List.of("DE"), "control"));
        VariantAssigner assigner = VariantAssigner.forAb(ab("targeted",
                List.of(new Variant("control", 50), new Variant("treatment", 50)), rules, 0), new SplittableRandom(1));

        for (String unit : UNIT_IDS.subList(0, 1_000)) {
            Assignment german = assigner.assign(AssignmentRequest.forUnit(unit).withAttributes(Map.of("country", "DE")));
            assertThat(german.variant()).isEqualTo("treatment");
            assertThat(german.reason()).isEqualTo(AssignmentReason.TARGETED);

            Assignment staff = assigner.assign(AssignmentRequest.forUnit(unit)
                    .withAttributes(Map.of("x-tier", "internal", "country", "DE")));
            assertThat(staff.variant()).isEqualTo("control");
            assertThat(staff.reason()).isEqualTo(AssignmentReason.DEFAULT);

            Assignment french = assigner.assign(AssignmentRequest.forUnit(unit).withAttributes(Map.of("country", "FR")));
            assertThat(french.reason()).isEqualTo(AssignmentReason.HASH);
            assertThat(french).isEqualTo(assigner.assign(AssignmentRequest.forUnit(unit)));
        }
    }

    @Test
    void forcedVariantWinsEvenWhenPausedAndMustBeServedByTheExperiment() {
        AbSpec running = ab("forced", List.of(new Variant("control", 100), new Variant("treatment", 0)), List.of(), 0);
        VariantAssigner paused = VariantAssigner.forAb(running.withStatus(ExperimentStatus.PAUSED), new SplittableRandom(1));

        Assignment forced = paused.assign(AssignmentRequest.forUnit("user-1").forcing("treatment"));

        assertThat(forced.variant()).isEqualTo("treatment");
        assertThat(forced.reason()).isEqualTo(AssignmentReason.FORCED);
        assertThatThrownBy(() -> paused.assign(AssignmentRequest.forUnit("user-1").forcing("v3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'v3'").hasMessageContaining("[control, treatment]");
    }

    @Test
    void experimentsThatAreNotRunningServeTheDefaultVariant() {
        AbSpec spec = ab("stopped", List.of(new Variant("control", 0), new Variant("treatment", 100)), List.of(), 0);

        for (ExperimentStatus status : new ExperimentStatus[] {ExperimentStatus.PAUSED, ExperimentStatus.COMPLETED}) {
            Assignment assignment = VariantAssigner.forAb(spec.withStatus(status), new SplittableRandom(1))
                    .assign(AssignmentRequest.forUnit("user-7"));
            assertThat(assignment.variant()).isEqualTo("control");
            assertThat(assignment.reason()).isEqualTo(AssignmentReason.DEFAULT);
        }
    }

    @Test
    void anonymousRequestsDrawARandomBucketPerRequest() {
        VariantAssigner assigner = VariantAssigner.forAb(ab("anon",
                List.of(new Variant("control", 50), new Variant("treatment", 50)), List.of(), 0), new SplittableRandom(42));
        long[] counts = new long[2];
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            Assignment assignment = assigner.assign(AssignmentRequest.anonymous());
            assertThat(assignment.reason()).isEqualTo(AssignmentReason.RANDOM);
            counts[assignment.variant().equals("control") ? 0 : 1]++;
            buckets.add(assignment.bucket());
        }

        assertThat(new ChiSquareTest().chiSquareTest(new double[] {0.5, 0.5}, counts)).isGreaterThan(0.001);
        // 20000 draws from 10000 buckets cover 1 - e^-2 = 86.5 % of them.
        assertThat(buckets.size()).isBetween(8400, 8900);
    }

    @Test
    void shadowExperimentsServeThePrimaryAndCopyASampleToTheShadows() {
        ShadowSpec spec = new ShadowSpec(ExperimentMeta.running("mirror", "model", "v1"), "v1", List.of("v2", "v3"), 0.25,
                new ShadowBudget(OptionalInt.of(4), OptionalDouble.empty()));
        VariantAssigner assigner = VariantAssigner.forShadow(spec, new SplittableRandom(7));

        int copied = 0;
        for (String unit : UNIT_IDS.subList(0, 20_000)) {
            Assignment assignment = assigner.assign(AssignmentRequest.forUnit(unit));
            assertThat(assignment.variant()).isEqualTo("v1");
            if (!assignment.shadows().isEmpty()) {
                assertThat(assignment.shadows()).containsExactly("v2", "v3");
                copied++;
            }
        }
        // Binomial(20000, 0.25): 5000 +- 5 sigma (sigma ~ 61).
        assertThat(copied).isBetween(4695, 5305);
        assertThatThrownBy(() -> assigner.assign(AssignmentRequest.forUnit("u").forcing("v2")))
                .hasMessageContaining("not served");
    }

    private static double chiSquarePValue(AbSpec spec) {
        VariantAssigner assigner = VariantAssigner.forAb(spec, new SplittableRandom(1));
        Map<String, String> assigned = assignAll(assigner);
        List<String> names = spec.servingVariants();
        long[] observed = names.stream().mapToLong(n -> assigned.values().stream().filter(n::equals).count()).toArray();
        double[] expected = spec.variants().stream().mapToDouble(Variant::weight).toArray();
        assertThat(Arrays.stream(observed).sum()).isEqualTo(UNITS);
        return new ChiSquareTest().chiSquareTest(expected, observed);
    }

    private static Map<String, String> assignAll(VariantAssigner assigner) {
        return UNIT_IDS.stream().collect(Collectors.toMap(Function.identity(), u -> variantOf(assigner, u)));
    }

    private static String variantOf(VariantAssigner assigner, String unit) {
        return assigner.assign(AssignmentRequest.forUnit(unit)).variant();
    }

    private static AbSpec ab(String name, List<Variant> variants, List<TargetingRule> rules, double holdout) {
        return new AbSpec(ExperimentMeta.running(name, "model", variants.get(0).name()), variants, rules, holdout);
    }

    private static CanarySpec canary() {
        return new CanarySpec(ExperimentMeta.running("ramp", "model", "baseline"), "baseline", "candidate",
                List.of(5.0, 25.0, 50.0, 100.0), Duration.ofMinutes(5), 100, new HealthGates(1, 1.5));
    }
}
