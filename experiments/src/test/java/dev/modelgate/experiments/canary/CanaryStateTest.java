package dev.modelgate.experiments.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentMeta;
import dev.modelgate.experiments.spec.HealthGates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryStateTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final CanarySpec SPEC = new CanarySpec(ExperimentMeta.running("rollout", "fraud", "v1"), "v1", "v2",
            List.of(2.5, 50.0, 100.0), Duration.ofMinutes(5), 100, new HealthGates(1.0, 1.5));

    @Test
    void startsAtTheFirstStep() {
        assertThat(CanaryState.start(SPEC, T0)).isEqualTo(new CanaryState(0, 2.5, T0, CanaryStatus.PROGRESSING));
    }

    @Test
    void pauseKeepsTheWeightAndResumeRestartsTheStepWindow() {
        CanaryState paused = CanaryState.start(SPEC, T0).pause(T1);
        CanaryState resumed = paused.resume(T1.plusSeconds(30));

        assertThat(paused).isEqualTo(new CanaryState(0, 2.5, T1, CanaryStatus.PAUSED));
        assertThat(resumed).isEqualTo(new CanaryState(0, 2.5, T1.plusSeconds(30), CanaryStatus.PROGRESSING));
    }

    @Test
    void manualPromoteAndRollbackSetTheWeightToTheEnds() {
        CanaryState promoted = CanaryState.start(SPEC, T0).promote(T1);

        assertThat(promoted).isEqualTo(new CanaryState(0, 100, T1, CanaryStatus.PROMOTED));
        assertThat(promoted.rollback(T1)).isEqualTo(new CanaryState(0, 0, T1, CanaryStatus.ROLLED_BACK));
        assertThat(CanaryState.start(SPEC, T0).pause(T0).rollback(T1).weightPercent()).isZero();
    }

    @Test
    void transitionsThatMakeNoSenseAreRefused() {
        CanaryState running = CanaryState.start(SPEC, T0);
        CanaryState rolledBack = running.rollback(T1);

        assertThatThrownBy(() -> running.resume(T1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot resume a canary that is PROGRESSING; it must be PAUSED");
        assertThatThrownBy(() -> running.pause(T0).pause(T1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> rolledBack.promote(T1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ROLLED_BACK");
        assertThatThrownBy(() -> rolledBack.rollback(T1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> running.promote(T1).pause(T1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidStatesCannotBeBuilt() {
        assertThatThrownBy(() -> new CanaryState(0, 101, T0, CanaryStatus.PROGRESSING)).hasMessageContaining("weightPercent");
        assertThatThrownBy(() -> new CanaryState(-1, 5, T0, CanaryStatus.PROGRESSING)).hasMessageContaining("stepIndex");
        assertThatThrownBy(() -> new VariantWindow(10, 11, 5)).hasMessageContaining("errors=11");
        assertThatThrownBy(() -> new VariantWindow(10, 1, Double.NaN)).hasMessageContaining("p99LatencyMs");
    }
}
