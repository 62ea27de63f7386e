package dev.modelgate.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static final String MIXED = "a\u00e9\u65e5\uD83D\uDE80"; // 1 + 2 + 3 + 4 bytes

    @Test
    void lengthIsTheEncodedLength() {
        assertThat(Utf8.length(MIXED)).isEqualTo(MIXED.getBytes(StandardCharsets.UTF_8).length).isEqualTo(10);
    }

    @Test
    void stringsAreCutBeforeTheFirstCharacterThatDoesNotFit() {
        assertThat(Utf8.cut(MIXED, 10)).isSameAs(MIXED);
        assertThat(Utf8.cut(MIXED, 9)).isEqualTo("a\u00e9\u65e5");
        assertThat(Utf8.cut(MIXED, 5)).isEqualTo("a\u00e9");
        assertThat(Utf8.cut(MIXED, 2)).isEqualTo("a");
        assertThat(Utf8.cut(MIXED, 0)).isEmpty();
    }

    @Test
    void bytesAreCutBeforeAContinuationByte() {
        byte[] utf8 = MIXED.getBytes(StandardCharsets.UTF_8);

        assertThat(new String(Utf8.cut(utf8, 8), StandardCharsets.UTF_8)).isEqualTo("a\u00e9\u65e5");
        assertThat(Utf8.cut(utf8, 10)).isSameAs(utf8);
    }
}
