package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12, end to end: no request, however built, makes a big row, and every answered request to a
 * known model is one row under the id the caller got, including those turned away before the gateway's
 * handler ran (a body over the limit, a query string Vert.x cannot parse), and a form-encoded body that is no JSON.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundedRowsE2ETest {

    private static final int MAX_BODY_BYTES = 200_000;
    private static final String INFER = "/v2/models/fraud-score/infer";

    private final ClickHouse clickHouse = new ClickHouse();
    private DemoGateway gateway;
    private InferApi api;

    @BeforeAll
    void start() throws Exception {
        gateway = DemoGateway.start("e2e_rows", clickHouse, dir -> TestConfigs.demo(dir, 200, "", MAX_BODY_BYTES));
        api = gateway.api;
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A 100 KB input name, 1024 values: 102 KB, rejected by the model, which wants [1, 12]. */
    private static String hundredKilobyteName() {
        return "{\"inputs\":[{\"name\":\"" + "n".repeat(100_000) + "\",\"datatype\":\"FP32\",\"shape\":[1,1024],\"data\":["
                + "1,".repeat(1023) + "1]}]}";
    }

    @Test
    void theHundredKilobyteNameIsAnsweredAndLoggedInAFewKilobytes() throws Exception {
        HttpResponse<String> response = api.post(INFER, hundredKilobyteName());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(api.json(response).get("error").asText()).startsWith("input 'nnnn");
        JsonNode row = onlyRow(requestId(response), "status, length(request_json) + arraySum(arrayMap(x -> length(x), feature_names))"
                + " + arraySum(arrayMap(x -> length(x), output_names)) + length(error) + length(unit_id) AS logged_bytes,"
                + " length(feature_values) AS values, truncated_fields");
        assertThat(row.path("status").asInt()).isEqualTo(400);
        assertThat(row.path("logged_bytes").asLong()).isLessThanOrEqualTo(16 * 1024);
        assertThat(row.path("values").asInt()).as("a 4xx logs no features").isZero();
        assertThat(row.path("truncated_fields").toString()).isEqualTo("[\"error\",\"request_json\"]");
        assertThat(api.get("/metrics").body())
                .containsPattern("modelgate_events_truncated_total\\{[^}]*field=\"request_json\"[^}]*table=\"predictions\"[^}]*} [1-9]");
    }

    @Test
    void aBodyOverTheLimitIsOneRow() throws Exception {
        HttpResponse<String> response = api.post(INFER, "{\"inputs\":[" + " ".repeat(MAX_BODY_BYTES) + "]}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(api.json(response).get("error").asText()).isEqualTo("request body larger than 200000 bytes");
        assertThat(onlyRow(requestId(response), "status").path("status").asInt()).isEqualTo(413);
    }

    @Test
    void requestsTurnedAwayBeforeTheHandlerOrWithAFormBodyAreOneRowEach() throws Exception {
        // sent raw: java.net.URI refuses a malformed escape, and Vert.x is what must cope with it
        Map<String, String> errors = Map.of(
                "POST " + INFER + "?unit=%zz HTTP/1.1\r\nContent-Type: application/json\r\n", "bad request",
                // a form-encoded body is read as the JSON it should be, so this one is malformed JSON
                "POST " + INFER + " HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Unit-Id: "
                        + "u".repeat(5_000) + "\r\n", "malformed JSON");
        for (Map.Entry<String, String> early : errors.entrySet()) {
            String body = "a=%zz&b=1";
            RawHttp.Answer response = new RawHttp(gateway.process.port, Duration.ofSeconds(10)).exchange((early.getKey()
                    + "Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));

            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).startsWith("{\"error\":\"" + early.getValue());
            JsonNode row = onlyRow(response.header("X-Request-Id"), "status, error, length(unit_id) AS unit_bytes");
            assertThat(row.path("status").asInt()).isEqualTo(400);
            assertThat(row.path("error").asText()).startsWith(early.getValue());
            assertThat(row.path("unit_bytes").asInt()).isLessThanOrEqualTo(128);
        }
    }

    @Test
    void unknownModelsStay404WithoutARow() throws Exception {
        HttpResponse<String> response = api.post("/v2/models/no-such-model/infer", "{}");
        HttpResponse<String> logged = api.post(INFER, "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        onlyRow(requestId(logged), "status");
        assertThat(clickHouse.count(gateway.predictions() + " WHERE request_id = '" + requestId(response) + "'")).isZero();
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow(() -> new AssertionError("no X-Request-Id"));
    }

    /** The one row logged under {@code requestId}, once it has landed; fails if there are more. */
    private JsonNode onlyRow(String requestId, String columns) throws Exception {
        String where = gateway.predictions() + " WHERE request_id = '" + requestId + "'";
        assertThat(clickHouse.awaitCount(where, n -> n > 0, Duration.ofSeconds(10))).as("rows of " + requestId).isEqualTo(1);
        Thread.sleep(500); // a second row, if there were one, would have been flushed with the first
        List<JsonNode> rows = clickHouse.rows("SELECT " + columns + " FROM " + where);
        assertThat(rows).as("rows of " + requestId).hasSize(1);
        return rows.get(0);
    }
}
