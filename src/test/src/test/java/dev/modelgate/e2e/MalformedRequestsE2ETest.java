package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad input never crashes the gateway, never hangs, never counts as a success: each kind gets its
 * own 4xx with a JSON error that names the problem, and the gateway keeps serving afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestsE2ETest {

    private static final String GOOD_FEATURES = "[120.5,400,2,75,12,0,14,0.3,1,0,200,1.1]";

    private record Case(String kind, String method, String path, String body, int status, String errorContains) {}

    private final ClickHouse clickHouse = new ClickHouse();
    private DemoGateway gateway;
    private InferApi api;

    @BeforeAll
    void start() throws Exception {
        gateway = DemoGateway.start("e2e_bad", clickHouse, dir -> TestConfigs.demo(dir, 200, ""));
        api = gateway.api;
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String features(String datatype, String shape, String data) {
        return "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape + ",\"data\":" + data + "}]}";
    }

    private static List<Case> cases() {
        String infer = "/v2/models/fraud-score/infer";
        String huge = "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":[" + "1,".repeat(40_000) + "1]}]}";
        return List.of(
                new Case("unknown model", "POST", "/v2/models/no-such-model/infer", features("FP32", "[1,12]", GOOD_FEATURES), 404, "model 'no-such-model' not found"),
                new Case("malformed JSON", "POST", infer, "{\"inputs\": [", 400, "malformed JSON"),
                new Case("empty body", "POST", infer, "", 400, "the body must be a JSON object"),
                new Case("unknown datatype", "POST", infer, features("FP99", "[1,12]", GOOD_FEATURES), 400, "input 'features': unknown datatype 'FP99'"),
                new Case("shape/data length mismatch", "POST", infer, features("FP32", "[2,12]", GOOD_FEATURES), 400, "input 'features': shape [2, 12] needs 24 elements, data has 12"),
                new Case("wrong datatype for the model", "POST", infer, features("FP64", "[1,12]", GOOD_FEATURES), 400, "input 'features'"),
                new Case("wrong shape for the model", "POST", infer, features("FP32", "[1,11]", "[1,2,3,4,5,6,7,8,9,10,11]"), 400, "input 'features'"),
                new Case("missing input", "POST", infer, "{\"inputs\":[{\"name\":\"amount\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + GOOD_FEATURES + "}]}", 400, "'amount'"),
                new Case("extra input", "POST", infer, "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + GOOD_FEATURES
                        + "},{\"name\":\"extra\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}", 400, "'extra'"),
                new Case("string where a number belongs", "POST", infer, features("FP32", "[1,12]", "[\"a\",400,2,75,12,0,14,0.3,1,0,200,1.1]"), 400, "input 'features': data[0]"),
                new Case("unknown requested output", "POST", infer, "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + GOOD_FEATURES
                        + "}],\"outputs\":[{\"name\":\"nope\"}]}", 400, "'nope'"),
                new Case("inputs not a list", "POST", infer, "{\"inputs\":{}}", 400, "'inputs' must be a non-empty list"),
                new Case("body over the size limit", "POST", infer, huge, 413, "larger than 65536 bytes"),
                new Case("wrong method", "PUT", infer, features("FP32", "[1,12]", GOOD_FEATURES), 405, "not allowed"));
    }

    @Test
    void eachMalformedRequestGetsItsOwn4xxAndNoneIsLoggedAsASuccess() throws Exception {
        List<String> loggedRequestIds = new ArrayList<>();
        for (Case c : cases()) {
            HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri(c.path()))
                    .header("Content-Type", "application/json")
                    .method(c.method(), HttpRequest.BodyPublishers.ofString(c.body())));
            assertThat(response.statusCode()).as(c.kind() + ": " + response.body()).isEqualTo(c.status());
            assertThat(response.headers().firstValue("Content-Type")).as(c.kind()).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode error = api.json(response);
            assertThat(error.get("error").asText()).as(c.kind()).contains(c.errorContains());
            if (c.status() == 400 || c.status() == 413) {
                loggedRequestIds.add(response.headers().firstValue("X-Request-Id").orElseThrow());
            }
        }

        String where = gateway.predictions() + " WHERE request_id IN ('" + String.join("','", loggedRequestIds) + "')";
        assertThat(clickHouse.awaitCount(where, n -> n == loggedRequestIds.size(), Duration.ofSeconds(5)))
                .as("every rejected request of a known model is logged, with its error, a 413 included")
                .isEqualTo(loggedRequestIds.size());
        assertThat(clickHouse.count(where + " AND (status = 200 OR error = '')")).isZero();

        assertThat(api.get("/v2/health/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> good = api.post("/v2/models/fraud-score/infer", features("FP32", "[1,12]", GOOD_FEATURES));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertThat(gateway.process.isAlive()).isTrue();
    }

    @Test
    void unknownEndpointsAnswerJson404() throws Exception {
        HttpResponse<String> response = api.get("/v3/whatever");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(api.json(response).get("error").asText()).contains("/v3/whatever");
    }
}
