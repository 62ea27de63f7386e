package dev.modelgate.gateway.batch.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The result files' bytes: what a reader of the CSV parts gets back, whatever the buffer's size. */
class AsciiBufferTest {

    @Test
    void numbersAreWrittenAsLongToStringWritesThem() throws IOException {
        long[] values = {0, 7, 10, 99, 100, -1, -1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_000_000L};
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        AsciiBuffer out = new AsciiBuffer(file, 64);
        StringBuilder expected = new StringBuilder();
        for (long value : values) {
            out.number(value);
            out.comma();
            expected.append(value).append(',');
        }
        out.flush();
        assertThat(file.toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
    }

    @Test
    void textIsUtf8AndValuesLargerThanTheBufferPassWhole() throws IOException {
        String key = "kunde-Müller-東京";
        String longText = "x".repeat(200) + "é";
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        AsciiBuffer out = new AsciiBuffer(file, 64);
        out.text(key);
        out.comma();
        out.ascii("0.016574621");
        out.newline();
        out.text(longText);
        out.bytes("z".repeat(100).getBytes(StandardCharsets.UTF_8));
        out.ascii("y".repeat(70));
        out.flush();
        assertThat(file.toString(StandardCharsets.UTF_8))
                .isEqualTo(key + ",0.016574621\n" + longText + "z".repeat(100) + "y".repeat(70));
    }
}
