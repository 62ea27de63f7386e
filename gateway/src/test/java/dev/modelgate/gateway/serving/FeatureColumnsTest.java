package dev.modelgate.gateway.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Column names as the prediction log and the drift monitor both see them. */
class FeatureColumnsTest {

    private final FeatureColumns naming = new FeatureColumns(16);

    @Test
    void configuredNamesAreUsedAsTheyAreWhenTheyFit() {
        List<String> configured = List.of("amount", "age");

        FeatureColumns.Columns columns = naming.of("features", new long[] {1, 2}, Map.of("features", configured));

        assertThat(columns.names()).isSameAs(configured);
        assertThat(columns.cut()).isFalse();
    }

    @Test
    void generatedNamesKeepTheirColumnSuffixWithinTheCap() {
        FeatureColumns.Columns columns = naming.of("a_rather_long_tensor_name", new long[] {1, 1000}, Map.of());

        assertThat(columns.names()).hasSize(1000);
        assertThat(columns.names().get(0)).isEqualTo("a_rather_lo[0]");
        assertThat(columns.names().get(999)).isEqualTo("a_rather_lo[999]");
        assertThat(columns.cut()).isTrue();
    }

    @Test
    void generatedNamesOfTheSameTensorAreEqualListsAcrossRequests() {
        List<String> first = naming.of("features", new long[] {1, 3}, Map.of()).names();
        List<String> second = naming.of("features", new long[] {5, 3}, Map.of()).names();

        assertThat(second).isEqualTo(first).isEqualTo(List.of("features[0]", "features[1]", "features[2]"));
        assertThat(List.of("features[0]", "features[1]", "features[2]")).isEqualTo(second);
        assertThat(second).hasSameHashCodeAs(List.of("features[0]", "features[1]", "features[2]"));
        assertThat(second).isNotEqualTo(naming.of("features", new long[] {1, 4}, Map.of()).names())
                .isNotEqualTo(naming.of("inputs", new long[] {1, 3}, Map.of()).names());
    }

    @Test
    void aSingleColumnIsNamedAfterItsTensorCutToTheCap() {
        assertThat(naming.of("amount", new long[] {4, 1}, Map.of()).names()).containsExactly("amount");
        assertThat(naming.of("x".repeat(40), new long[] {4}, Map.of()).names()).containsExactly("x".repeat(16));
    }

    @Test
    void configuredNamesOverTheCapAreCutToo() {
        FeatureColumns.Columns columns = naming.of("f", new long[] {1, 2},
                Map.of("f", List.of("short", "a_feature_name_over_sixteen_bytes")));

        assertThat(columns.names()).containsExactly("short", "a_feature_name_o");
        assertThat(columns.cut()).isTrue();
    }
}
