package dev.modelgate.gateway.telemetry.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte layouts from ClickHouse's RowBinary documentation ("Formats: RowBinary"): little-endian fixed
 * widths, LEB128 lengths, Date as UInt16 days, DateTime as UInt32 seconds. The round trip through a real
 * server is in {@code PredictionEventEncoderTest}.
 */
class RowBinaryOutputTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final RowBinaryOutput row = new RowBinaryOutput(64);

    @Test
    void numbersAreLittleEndianAndDatesCountFromTheEpoch() throws IOException {
        row.beginRow(out);
        row.uint16(503, "status");
        row.uint32(0xA1B2C3D4L, "n");
        row.uint64(1_714_979_289_999L, "ms");
        row.float64(1.0);
        row.date(19_849);                      // 2024-05-06
        row.dateTime(1_714_979_289L);
        row.endRow();

        // python3: import struct; struct.pack('<H', 503).hex(), struct.pack('<Q', 1714979289999).hex(),
        // struct.pack('<d', 1.0).hex(), struct.pack('<H', 19849).hex(), struct.pack('<I', 1714979289).hex()
        assertThat(hex(out.toByteArray())).isEqualTo(
                "f701" + "d4c3b2a1" + "8f3bbb4c8f010000" + "000000000000f03f" + "894d" + "d9813866");
    }

    @Test
    void stringsAndArraysArePrefixedByTheirLeb128Length() throws IOException {
        row.beginRow(out);
        row.string(null);
        row.string("é");                      // two UTF-8 bytes
        row.string("a".repeat(300));          // 300 = 0xAC 0x02 in LEB128
        row.strings(List.of("x", "yz"));
        row.float64s(new double[] {Double.NaN});
        row.endRow();

        byte[] bytes = out.toByteArray();
        assertThat(hex(Arrays.copyOfRange(bytes, 0, 6))).isEqualTo("00" + "02c3a9" + "ac02");
        assertThat(bytes).hasSize(6 + 300 + 1 + 2 + 3 + 1 + 8);
        assertThat(hex(Arrays.copyOfRange(bytes, 306, 312))).isEqualTo("02" + "0178" + "02797a");
        assertThat(hex(Arrays.copyOfRange(bytes, 312, 321))).isEqualTo("01" + "000000000000f87f");
    }

    @Test
    void preEncodedStringArraysAreWrittenAsStringsWouldWriteThem() throws IOException {
        List<String> names = List.of("amount", "é", "a".repeat(300)); // longer than the 64-byte chunk
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        RowBinaryOutput directRow = new RowBinaryOutput(64).beginRow(direct);
        directRow.strings(names);
        directRow.endRow();

        row.beginRow(out);
        row.string("id");
        row.encoded(RowBinaryOutput.encodeStrings(names));
        row.encoded(RowBinaryOutput.encodeStrings(List.of("x", "yz")));
        row.endRow();

        assertThat(RowBinaryOutput.encodeStrings(names)).isEqualTo(direct.toByteArray());
        byte[] bytes = out.toByteArray();
        int namesEnd = 3 + direct.size();
        assertThat(hex(Arrays.copyOfRange(bytes, 0, 3))).isEqualTo("02" + "6964");
        assertThat(Arrays.copyOfRange(bytes, 3, namesEnd)).isEqualTo(direct.toByteArray());
        assertThat(hex(Arrays.copyOfRange(bytes, namesEnd, bytes.length))).isEqualTo("02" + "0178" + "02797a");
    }

    @Test
    void longValuesLargerThanTheChunkPassThroughWhole() throws IOException {
        byte[] body = new byte[1000];
        Arrays.fill(body, (byte) 'b');
        row.beginRow(out);
        row.string("x".repeat(100));
        row.bytes(body, 0, -1);
        row.endRow();

        byte[] bytes = out.toByteArray();
        assertThat(bytes).hasSize(1 + 100 + 2 + 1000);
        assertThat(hex(Arrays.copyOfRange(bytes, 101, 103))).isEqualTo("e807");
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 'b');
    }

    @Test
    void aRowBegunAgainForgetsWhatAnAbandonedRowLeftUnflushed() throws IOException {
        row.beginRow(out);
        row.string("half a row");
        row.beginRow(out);
        row.uint16(1, "n");
        row.endRow();

        assertThat(hex(out.toByteArray())).isEqualTo("0100");
    }

    @Test
    void valuesOutsideTheColumnTypeAreRefusedWithTheirName() {
        row.beginRow(out);
        assertThatThrownBy(() -> row.uint16(70_000, "status")).hasMessageContaining("status 70000");
        assertThatThrownBy(() -> row.uint32(-1, "batch_rows")).hasMessageContaining("batch_rows -1");
        assertThatThrownBy(() -> row.dateTime(1L << 33)).hasMessageContaining("DateTime");
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b & 0xFF));
        }
        return s.toString();
    }
}
