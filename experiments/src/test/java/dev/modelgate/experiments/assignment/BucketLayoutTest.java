package dev.modelgate.experiments.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.experiments.spec.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketLayoutTest {

    @Test
    void reservoirOwnsTheBottomAndTheOthersStackFromTheTopInDeclarationOrder() {
        BucketLayout layout = BucketLayout.of(
                List.of(new Variant("control", 10), new Variant("a", 30), new Variant("b", 60)), "control");

        assertThat(layout.ranges()).containsExactly(
                new BucketRange("control", 0, 1000),
                new BucketRange("b", 1000, 7000),
                new BucketRange("a", 7000, 10000));
    }

    @Test
    void fractionalWeightsBecomeWholeBucketsAndZeroWeightsOwnNothing() {
        BucketLayout layout = BucketLayout.of(List.of(new Variant("off", 0), new Variant("x", 33.33),
                new Variant("y", 33.33), new Variant("z", 33.34)), "x");

        assertThat(layout.ranges()).containsExactly(
                new BucketRange("x", 0, 3333),
                new BucketRange("z", 3333, 6667),
                new BucketRange("y", 6667, 10000));
        assertThat(layout.variantAt(0)).isEqualTo("x");
        assertThat(layout.variantAt(9999)).isEqualTo("y");
    }

    @Test
    void rejectsWeightsThatDoNotCoverTheSpaceAndBucketsOutsideIt() {
        assertThatThrownBy(() -> BucketLayout.of(List.of(new Variant("a", 50), new Variant("b", 40)), "a"))
                .hasMessageContaining("add up to 100");
        BucketLayout layout = BucketLayout.of(List.of(new Variant("a", 100)), "a");
        assertThatThrownBy(() -> layout.variantAt(10_000)).hasMessageContaining("outside");
    }
}
