package dev.modelgate.gateway.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.gateway.api.ApiException;
import dev.modelgate.gateway.telemetry.FeedbackEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FeedbackParserTest {

    private static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();

    private final FeedbackParser parser = new FeedbackParser("gw-1");

    @Test
    void oneObjectIsOneEventStampedWithTheReceiptTime() {
        List<FeedbackEvent> events = parser.parse("{\"request_id\": \"r-1\", \"metric\": \"converted\", \"value\": 1}", NOW);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.requestId()).isEqualTo("r-1");
            assertThat(e.metric()).isEqualTo("converted");
            assertThat(e.value()).isEqualTo(1.0);
            assertThat(e.eventTimeMillis()).isEqualTo(NOW);
            assertThat(e.receivedMillis()).isEqualTo(NOW);
            assertThat(e.instanceId()).isEqualTo("gw-1");
        });
    }

    @Test
    void anArrayKeepsItsOrderAndEachItemsTimeInEitherForm() {
        List<FeedbackEvent> events = parser.parse("""
                [{"request_id": "a", "metric": "revenue", "value": 12.5, "time": 1772366400000},
                 {"request_id": "b", "metric": "revenue", "value": -3, "time": "2026-03-01T11:00:00+01:00"}]""", NOW);

        assertThat(events).extracting(FeedbackEvent::requestId).containsExactly("a", "b");
        assertThat(events).extracting(FeedbackEvent::eventTimeMillis)
                .containsExactly(1_772_366_400_000L, Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());
        assertThat(events.get(0).feedbackId()).isNotEqualTo(events.get(1).feedbackId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"metric\": \"m\", \"value\": 1}                                      | request_id: is required and must be a string",
            "{\"request_id\": \"r\", \"metric\": \"bad metric\", \"value\": 1}      | metric: 'bad metric' must be 1-64 characters",
            "{\"request_id\": \"r\", \"metric\": \"m\", \"value\": \"1\"}           | value: must be a finite number",
            "{\"request_id\": \"r\", \"metric\": \"m\", \"value\": 1e999}           | value: must be a finite number",
            "{\"request_id\": \"r\", \"metric\": \"m\", \"value\": 1, \"time\": \"yesterday\"} | time: 'yesterday' is not an ISO-8601 time",
            "{\"request_id\": \"r\", \"metric\": \"m\", \"value\": 1, \"time\": 5}  | time: must be between 2000-01-01 and one day from now",
            "{\"request_id\": \"r\", \"metric\": \"m\", \"valeu\": 1}               | valeu: unknown field",
            "[]                                                                     | body must contain at least one feedback item",
            "[{\"request_id\": \"r\", \"metric\": \"m\", \"value\": 1}, 7]          | [1]: must be an object",
            "42                                                                     | body must be a feedback object or an array",
            "{\"request_id\": \"r\",                                                | body is not valid JSON",
    })
    void badBodiesAreRefusedNamingTheItemAndField(String body, String message) {
        assertThatThrownBy(() -> parser.parse(body, NOW))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    @Test
    void oneBadItemRejectsTheWholeBody() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            body.append(i > 0 ? "," : "").append("{\"request_id\": \"r").append(i).append("\", \"metric\": \"m\", \"value\": ")
                    .append(i == 3 ? "null" : "1").append('}');
        }
        assertThatThrownBy(() -> parser.parse(body.append(']').toString(), NOW))
                .hasMessage("[3].value: must be a finite number");
    }
}
