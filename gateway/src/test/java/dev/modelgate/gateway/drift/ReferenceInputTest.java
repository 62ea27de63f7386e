package dev.modelgate.gateway.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.drift.profile.ReferenceProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reading uploaded and logged reference rows, and what a caller is told when they do not fit the model. */
class ReferenceInputTest {

    private static final List<String> COLUMNS = List.of("amount", "is_foreign", "fraud_probability");

    @Test
    void csvAndJsonUploadsOfTheSameRowsGiveTheSameProfile() throws Exception {
        String csv = "amount,\"is_foreign\",fraud_probability\r\n12.5,0,0.1\n80,1,\n\n7.25,0,0.3\n";
        String json = "{\"rows\": [{\"amount\": 12.5, \"is_foreign\": 0, \"fraud_probability\": 0.1},"
                + " {\"amount\": 80, \"is_foreign\": 1, \"fraud_probability\": null},"
                + " {\"amount\": 7.25, \"is_foreign\": 0, \"fraud_probability\": 0.3}]}";
        ReferenceBuilder fromCsv = new ReferenceBuilder(COLUMNS, new Random(1));
        ReferenceBuilder fromJson = new ReferenceBuilder(COLUMNS, new Random(1));

        ReferenceRows.fromCsv(csv, fromCsv::accept);
        ReferenceRows.fromJson(new ObjectMapper().readTree(json), fromJson::accept);
        ReferenceProfile profile = fromCsv.build();

        assertThat(fromCsv.rows()).isEqualTo(3);
        assertThat(profile).isEqualTo(fromJson.build());
        NumericProfile amount = (NumericProfile) profile.feature("amount");
        assertThat(amount.count()).isEqualTo(3);
        assertThat(amount.mean()).isEqualTo((12.5 + 80 + 7.25) / 3);
        assertThat(profile.feature("fraud_probability").missing()).isEqualTo(1);
    }

    @Test
    void anExcelExportWithAByteOrderMarkReadsLikeThePlainFile() {
        ReferenceBuilder excel = new ReferenceBuilder(COLUMNS, new Random(1));
        ReferenceBuilder plain = new ReferenceBuilder(COLUMNS, new Random(1));

        ReferenceRows.fromCsv(ReferenceRows.withoutByteOrderMark("\uFEFFamount,is_foreign\r\n12.5,0\r\n"), excel::accept);
        ReferenceRows.fromCsv(ReferenceRows.withoutByteOrderMark("amount,is_foreign\n12.5,0\n"), plain::accept);

        assertThat(excel.build()).isEqualTo(plain.build());
    }

    @Test
    void csvIsRecognisedByEveryMediaTypeItIsSentAs() {
        assertThat(List.of("text/csv", "text/csv; charset=utf-8", "application/csv", "Application/CSV;charset=UTF-8",
                "text/comma-separated-values", "application/vnd.ms-excel")).allMatch(ReferenceRows::isCsv);
        assertThat(List.of("application/json", "application/x-www-form-urlencoded", "text/plain")).noneMatch(ReferenceRows::isCsv);
        assertThat(ReferenceRows.isCsv(null)).isFalse();
    }

    @Test
    void unknownColumnsAreNamedWithTheColumnsTheModelLogs() {
        ReferenceBuilder builder = new ReferenceBuilder(COLUMNS, new Random(1));

        assertThatThrownBy(() -> builder.accept(Map.of("amount", 1.0, "amout", 2.0, "zip", 3.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown columns [amout, zip]")
                .hasMessageContaining("[amount, fraud_probability, is_foreign]");
    }

    @Test
    void textWhereANumberBelongsNamesTheFeatureAndRow() {
        ReferenceBuilder builder = new ReferenceBuilder(COLUMNS, new Random(1));
        ReferenceRows.fromCsv("amount,is_foreign\n1,0\n", builder::accept);

        assertThatThrownBy(() -> ReferenceRows.fromCsv("amount,is_foreign\n1,0\nlots,1\n", builder::accept))
                .hasMessageContaining("row 3")
                .hasMessageContaining("'amount'")
                .hasMessageContaining("lots");
    }

    @Test
    void malformedBodiesAreRejectedWithTheReason() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> ReferenceRows.fromJson(json.readTree("{\"data\": []}"), row -> { }))
                .hasMessageContaining("{\"rows\"");
        assertThatThrownBy(() -> ReferenceRows.fromJson(json.readTree("{\"rows\": [1]}"), row -> { }))
                .hasMessageContaining("rows[0] must be an object");
        assertThatThrownBy(() -> ReferenceRows.fromCsv("a,b\n1\n", row -> { }))
                .hasMessageContaining("CSV line 2 has 1 cells, the header has 2");
        assertThatThrownBy(() -> ReferenceRows.fromCsv("a,b\n\"1,2\n", row -> { }))
                .hasMessageContaining("unterminated quote");
        assertThatThrownBy(() -> new ReferenceBuilder(COLUMNS, new Random(1)).build())
                .hasMessageContaining("no values");
    }

    @Test
    void loggedBatchesSplitBackIntoRowsWithTheirOwnOutputs() throws Exception {
        String prediction = "{\"feature_names\": [\"x\", \"y\", \"x\", \"y\"], \"feature_values\": [1, 2, 3, null],"
                + " \"output_names\": [\"p\", \"p\"], \"output_values\": [0.1, 0.9]}";
        List<Map<String, Object>> rows = new ArrayList<>();

        TrafficRows.split(new ObjectMapper().readTree(prediction), rows::add);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("x", 1.0).containsEntry("y", 2.0).containsEntry("p", 0.1);
        assertThat(rows.get(1)).containsEntry("x", 3.0).containsEntry("y", null).containsEntry("p", 0.9);
    }
}
