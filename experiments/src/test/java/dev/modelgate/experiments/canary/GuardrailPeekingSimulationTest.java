package dev.modelgate.experiments.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.ProportionSummary;
import dev.modelgate.experiments.stats.decision.Direction;
import dev.modelgate.experiments.stats.fixed.FixedHorizonResult;
import dev.modelgate.experiments.stats.fixed.TwoProportionZTest;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Monte Carlo check of the guarantee the guardrail gate is built for: a controller that evaluates a step
 * after every batch of traffic must not roll back a healthy candidate more often than alpha, while a
 * fixed-horizon test read the same way would. Seeded, so the counts are reproducible.
 */
class GuardrailPeekingSimulationTest {

    private static final double ALPHA = 0.05;
    private static final int RUNS = 2_000;
    private static final int LOOKS = 40;
    private static final int UNITS_PER_LOOK = 50;
    private static final double BASELINE_RATE = 0.10;
    private static final MetricSpec CONVERTED = new MetricSpec("converted", MetricSpec.Kind.BINARY, Direction.HIGHER_IS_BETTER,
            OptionalDouble.empty(), true, MetricSpec.Source.FEEDBACK);
    private static final CanarySpec SPEC = CanaryGuardrailTest.spec(CONVERTED);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final VariantWindow HEALTHY = new VariantWindow(10_000, 0, 100);

    private final CanaryEvaluator evaluator = new CanaryEvaluator(ALPHA);
    private final TwoProportionZTest naive = new TwoProportionZTest(ALPHA);

    /** Rollbacks of runs in which the guardrail gate, and a fixed-horizon z-test, ever called the candidate worse. */
    private record Outcome(int gate, int naive) {}

    @Test
    void healthyCanariesPeekedAtEveryEvaluationAreRolledBackLessThanAlphaOfTheTime() {
        Outcome outcome = simulate(BASELINE_RATE, new SplittableRandom(20_260_301));

        assertThat((double) outcome.gate() / RUNS).as("false rollbacks of the always-valid gate").isLessThanOrEqualTo(ALPHA);
        // the same looks with a fixed-horizon test: the simulation is sensitive enough to see peeking inflate errors
        assertThat((double) outcome.naive() / RUNS).as("false rollbacks of a peeked z-test").isGreaterThan(2 * ALPHA);
    }

    @Test
    void harmfulCanariesAreStillCaught() {
        Outcome outcome = simulate(0.06, new SplittableRandom(7));

        assertThat((double) outcome.gate() / RUNS).as("rollbacks of a candidate converting 6 % instead of 10 %").isGreaterThan(0.9);
    }

    private Outcome simulate(double candidateRate, SplittableRandom random) {
        CanaryState state = CanaryState.start(SPEC, T0);
        Instant late = T0.plus(SPEC.minStepDuration());
        int gate = 0;
        int fixed = 0;
        for (int run = 0; run < RUNS; run++) {
            long baselineConverted = 0;
            long candidateConverted = 0;
            boolean gateRolledBack = false;
            boolean naiveRolledBack = false;
            for (int look = 1; look <= LOOKS; look++) {
                baselineConverted += conversions(BASELINE_RATE, random);
                candidateConverted += conversions(candidateRate, random);
                long units = (long) look * UNITS_PER_LOOK;
                List<GuardrailWindow> windows = CanaryGuardrailTest.conversions(units, baselineConverted, units, candidateConverted);
                gateRolledBack |= evaluator.decide(SPEC, state, late, HEALTHY, HEALTHY, windows).action() == CanaryAction.ROLLBACK;
                FixedHorizonResult z = naive.test(new ProportionSummary(units, baselineConverted), new ProportionSummary(units, candidateConverted));
                naiveRolledBack |= z.pValue() < ALPHA && z.statistic() < 0;
            }
            gate += gateRolledBack ? 1 : 0;
            fixed += naiveRolledBack ? 1 : 0;
        }
        return new Outcome(gate, fixed);
    }

    private static int conversions(double rate, SplittableRandom random) {
        int converted = 0;
        for (int i = 0; i < UNITS_PER_LOOK; i++) {
            converted += random.nextDouble() < rate ? 1 : 0;
        }
        return converted;
    }
}
