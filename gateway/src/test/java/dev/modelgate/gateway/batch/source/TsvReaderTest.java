package dev.modelgate.gateway.batch.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** ClickHouse's TabSeparated output as the ClickHouse source reads it (escapes per the ClickHouse docs' "TabSeparated" format). */
class TsvReaderTest {

    private static ClickHouseSource.TsvReader reader(String text) {
        return new ClickHouseSource.TsvReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEscapedTextNullsAndClickHousesSpellingsOfSpecialNumbers() throws Exception {
        try (ClickHouseSource.TsvReader rows = reader("a\\tb\\\\c\t\\N\t1.5\tnan\n" + "ü-7\tu\t-inf\t1e3\n")) {
            assertThat(rows.nextRow()).isTrue();
            assertThat(rows.text()).isEqualTo("a\tb\\c");
            assertThat(rows.isNull()).isTrue();
            assertThat(rows.isNull()).isFalse();
            assertThat(rows.number()).isEqualTo(1.5);
            assertThat(rows.number()).isNaN();
            assertThat(rows.nextRow()).isTrue();
            assertThat(rows.text()).isEqualTo("ü-7");
            assertThat(rows.text()).isEqualTo("u");
            assertThat(rows.number()).isEqualTo(Double.NEGATIVE_INFINITY);
            assertThat(rows.number()).isEqualTo(1000.0);
            assertThat(rows.nextRow()).isFalse();
        }
    }

    @Test
    void aHeaderIsReadAsTextRows() throws Exception {
        try (ClickHouseSource.TsvReader rows = reader("id\tamount\nUInt64\tNullable(Float64)\n")) {
            assertThat(rows.nextTextRow()).containsExactly("id", "amount");
            assertThat(rows.nextTextRow()).containsExactly("UInt64", "Nullable(Float64)");
            assertThat(rows.nextTextRow()).isNull();
        }
    }
}
