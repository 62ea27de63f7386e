package dev.modelgate.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.telemetry.batch.BatchWriter;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.batch.WriterSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trip of the RowBinary rows through the real ClickHouse: what the encoder writes is what a query reads back. */
class PredictionEventEncoderTest {

    private static final ClickHouseSchema PREDICTIONS_SCHEMA = new ClickHouseSchema(List.of(PredictionsTable.DEFINITION));

    private static TestClickHouse clickHouse;

    @TempDir
    Path spool;

    @BeforeAll
    static void createTable() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        clickHouse.close();
    }

    @Test
    void specialValuesSurviveTheRoundTrip() throws Exception {
        String requestJson = "{\"text\":\"caf\u00e9 \u65e5\u672c \uD83D\uDE80 it's \\\"quoted\\\" back\\\\slash\ttab\nline\"}";
        PredictionEvent special = new PredictionEvent("id-with-'quote'-and-\\", "req-\u00e9", 1_714_979_289_999L,
                "m", "", null, "a", "b", PredictionEvent.ROLE_SHADOW, "forced", null, 503, "backend \"down\"",
                Double.POSITIVE_INFINITY, 0.0, 0, List.of(), new double[0], List.of("x", "y", "z", "tiny"),
                new double[] {Double.NaN, Double.NEGATIVE_INFINITY, 1e300, 1e-7}, Double.NaN, requestJson.getBytes(java.nio.charset.StandardCharsets.UTF_8), "gw",
                List.of("error", "request_json"), "grpc", "partner-\u00e9");

        write(special);

        List<JsonNode> rows = clickHouse.query("SELECT event_id, request_id, toString(event_date) AS day,"
                + " toUnixTimestamp(event_time) AS secs, event_time_ms, experiment, unit_id, status, error,"
                + " isInfinite(latency_ms) AS latency_inf, isNaN(score) AS score_nan, length(feature_names) AS nf,"
                + " length(feature_values) AS nv, output_names, isNaN(output_values[1]) AS o1_nan,"
                + " output_values[2] < 0 AND isInfinite(output_values[2]) AS o2_neg_inf,"
                + " output_values[3] AS o3, output_values[4] AS o4, request_json, truncated_fields, protocol, api_key FROM " + clickHouse.predictions()
                + " WHERE role = 'shadow'");
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("event_id").asText()).isEqualTo("id-with-'quote'-and-\\");
        assertThat(row.path("request_id").asText()).isEqualTo("req-\u00e9");
        // 1714979289999 ms is 2024-05-06T07:08:09.999Z
        assertThat(row.path("day").asText()).isEqualTo("2024-05-06");
        assertThat(row.path("secs").asLong()).isEqualTo(1_714_979_289L);
        assertThat(row.path("event_time_ms").asLong()).isEqualTo(1_714_979_289_999L);
        assertThat(row.path("experiment").asText()).isEmpty();
        assertThat(row.path("unit_id").asText()).isEmpty();
        assertThat(row.path("status").asInt()).isEqualTo(503);
        assertThat(row.path("error").asText()).isEqualTo("backend \"down\"");
        assertThat(row.path("latency_inf").asInt()).isEqualTo(1);
        assertThat(row.path("score_nan").asInt()).isEqualTo(1);
        assertThat(row.path("nf").asInt()).isZero();
        assertThat(row.path("nv").asInt()).isZero();
        assertThat(row.path("output_names").toString()).isEqualTo("[\"x\",\"y\",\"z\",\"tiny\"]");
        assertThat(row.path("o1_nan").asInt()).isEqualTo(1);
        assertThat(row.path("o2_neg_inf").asInt()).isEqualTo(1);
        assertThat(row.path("o3").asDouble()).isEqualTo(1e300);
        assertThat(row.path("o4").asDouble()).isEqualTo(1e-7);
        assertThat(row.path("request_json").asText()).isEqualTo(requestJson);
        assertThat(row.path("truncated_fields").toString()).isEqualTo("[\"error\",\"request_json\"]");
        assertThat(row.path("protocol").asText()).isEqualTo("grpc");
        assertThat(row.path("api_key").asText()).isEqualTo("partner-\u00e9");
    }

    @Test
    void featuresCanBeReadBackWithArrayJoinAsDriftQueriesDo() throws Exception {
        write(TestEvents.event("drift", 1), TestEvents.event("drift", 2));

        List<JsonNode> rows = clickHouse.query("SELECT n, v FROM " + clickHouse.predictions()
                + " ARRAY JOIN feature_names AS n, feature_values AS v WHERE event_id LIKE 'drift-%' ORDER BY n, v");

        assertThat(rows).extracting(r -> r.path("n").asText() + "=" + r.path("v").asDouble())
                .containsExactly("age=31.0", "age=32.0", "income=1000.5", "income=1000.5");
    }

    @Test
    void eachRowKeepsItsOwnNamesWhenConsecutiveRowsChangeThem() throws Exception {
        List<String> twelve = List.of("f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12");
        write(TestEvents.event("names", 1, twelve, List.of("p")),
                TestEvents.event("names", 2, twelve, List.of("p")),
                TestEvents.event("names", 3, List.of("age"), List.of("p", "label")),
                TestEvents.event("names", 4, new java.util.ArrayList<>(twelve), List.of("p")),
                TestEvents.event("names", 5, List.of(), List.of()));

        List<JsonNode> rows = clickHouse.query("SELECT event_id, feature_names, output_names FROM "
                + clickHouse.predictions() + " WHERE event_id LIKE 'names-%' ORDER BY event_id");

        String twelveJson = "[\"f1\",\"f2\",\"f3\",\"f4\",\"f5\",\"f6\",\"f7\",\"f8\",\"f9\",\"f10\",\"f11\",\"f12\"]";
        assertThat(rows).extracting(r -> r.path("feature_names") + " " + r.path("output_names")).containsExactly(
                twelveJson + " [\"p\"]",
                twelveJson + " [\"p\"]",
                "[\"age\"] [\"p\",\"label\"]",
                twelveJson + " [\"p\"]",
                "[] []");
    }

    @Test
    void landedPredicateMatchesExactlyItsOwnRow() throws Exception {
        PredictionEventEncoder encoder = new PredictionEventEncoder();
        PredictionEvent mine = TestEvents.event("landed", 7);
        PredictionEvent neighbour = TestEvents.event("landed", 8);
        write(mine, neighbour);

        assertThat(clickHouse.count(encoder.landedPredicate(mine))).isEqualTo(1);
        assertThat(clickHouse.count(encoder.landedPredicate(TestEvents.event("never-written", 7)))).isZero();
    }

    @Test
    void landedPredicatesOfRowsOfOtherModelsAndDaysFindTheirOwnRows() throws Exception {
        // one encoder per thread writes every model's rows, day after day
        PredictionEventEncoder encoder = new PredictionEventEncoder();
        PredictionEvent today = TestEvents.event("moved", 1);
        PredictionEvent tomorrow = TestEvents.movedTo(TestEvents.event("moved", 2), "churn", 1);
        PredictionEvent otherModel = TestEvents.movedTo(TestEvents.event("moved", 3), "fraud", 0);
        write(today, tomorrow, otherModel);

        for (PredictionEvent event : List.of(today, tomorrow, otherModel, today)) {
            assertThat(clickHouse.count(encoder.landedPredicate(event))).as(event.eventId()).isEqualTo(1);
        }
        assertThat(clickHouse.count(encoder.landedPredicate(TestEvents.movedTo(today, "fraud", 0)))).isZero();
        assertThat(clickHouse.count(encoder.landedPredicate(TestEvents.movedTo(today, "churn", 1)))).isZero();
    }

    @Test
    void rowsStillLandWhenANewerGatewayHasAddedColumnsToTheTable() throws Exception {
        // RowBinary is positional: the INSERT names the encoder's columns, so extra ones take their default
        try (TestClickHouse newer = TestClickHouse.withPredictionsTable()) {
            newer.connection().execute("ALTER TABLE " + newer.predictions() + " ADD COLUMN tenant String DEFAULT 'none'");
            BatchWriter<PredictionEvent> writer = BatchWriter.start(newer.connection(), PREDICTIONS_SCHEMA,
                    PredictionEventEncoder::new, WriterSettings.defaults(spool), new SimpleMeterRegistry());
            writer.offer(TestEvents.event("older", 1));
            writer.close(Duration.ofSeconds(10));

            assertThat(newer.query("SELECT event_id, tenant FROM " + newer.predictions()).toString())
                    .isEqualTo("[{\"event_id\":\"older-1\",\"tenant\":\"none\"}]");
        }
    }

    private void write(PredictionEvent... events) throws Exception {
        BatchWriter<PredictionEvent> writer = BatchWriter.start(clickHouse.connection(), PREDICTIONS_SCHEMA, PredictionEventEncoder::new,
                WriterSettings.defaults(spool).withFlushInterval(Duration.ofMinutes(1)), new SimpleMeterRegistry());
        for (PredictionEvent event : events) {
            assertThat(writer.offer(event)).isTrue();
        }
        writer.close(Duration.ofSeconds(10));
    }
}
