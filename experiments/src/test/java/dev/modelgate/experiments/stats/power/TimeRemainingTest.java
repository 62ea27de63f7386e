package dev.modelgate.experiments.stats.power;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TimeRemainingTest {

    @Test
    void slowestVariantSetsTheRemainingTime() {
        // control needs 14751 - 4751 = 10000 more at 2000/day (5 days), treatment 14751 - 6751 = 8000 at 1000/day
        double days = TimeRemaining.days(14751, new long[] {4751, 6751}, new double[] {2000, 1000});
        assertThat(days).isCloseTo(8.0, within(1e-12));
    }

    @Test
    void doneWhenEveryVariantHasEnough() {
        assertThat(TimeRemaining.days(100, new long[] {120, 100}, new double[] {0, 0})).isZero();
    }

    @Test
    void neverWhenAVariantStillShortHasNoTraffic() {
        assertThat(TimeRemaining.days(100, new long[] {50, 120}, new double[] {0, 10})).isInfinite();
    }

    @Test
    void arraysMustDescribeTheSameVariants() {
        assertThatThrownBy(() -> TimeRemaining.days(100, new long[] {1, 2}, new double[] {1}))
                .hasMessageContaining("dailyPerVariant");
    }
}
