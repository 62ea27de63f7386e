package dev.modelgate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.gateway.control.DecisionRecorder;
import dev.modelgate.gateway.state.InMemoryExperimentStore;
import dev.modelgate.gateway.telemetry.ExperimentDecision;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The experiments admin API in-process, on the single-node store: what a caller gets back for what it sends. */
class ExperimentAdminRoutesTest {

    private static final String CANARY = """
            {"model": "fraud-score", "kind": "canary", "baseline": "v1", "candidate": "%s", "steps": [10, 100],
             "min_step_duration_seconds": 1, "min_requests_per_step": 10,
             "gates": {"max_error_rate_increase": 5, "max_p99_latency_ratio": 20}}""";
    private static final String AB = """
            {"model": "fraud-score", "kind": "ab", "variants": [{"name": "v1", "weight": 50}, {"name": "v2", "weight": 50}]}""";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<ExperimentDecision> decisions = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private URI base;

    private record Answer(int status, JsonNode body) {}

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Map<String, ModelConfig> models = Map.of("fraud-score", new ModelConfig("fraud-score", "v1",
                Map.of("v1", variant("v1"), "v2", variant("v2")), Duration.ofSeconds(1), "score", List.of(), Optional.empty(), Optional.empty()));
        Router router = Router.router(vertx);
        router.route("/admin/*").handler(BodyHandler.create(false));
        new ExperimentAdminRoutes(new InMemoryExperimentStore(List.of()), models, new DecisionRecorder(decisions::add, "test"))
                .mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void anUnknownVariantIsReportedUnderTheFieldThatNamesIt() throws Exception {
        assertThat(put("c", CANARY.formatted("nosuch"))).isEqualTo(invalid("candidate"));
        assertThat(put("s", """
                {"model": "fraud-score", "kind": "shadow", "primary": "v1", "shadows": ["nosuch"], "sample_rate": 1, "max_concurrent": 1}"""))
                .isEqualTo(invalid("shadows[0]"));
        assertThat(put("s", """
                {"model": "fraud-score", "kind": "shadow", "primary": "nosuch", "shadows": ["v2"], "sample_rate": 1, "max_concurrent": 1}"""))
                .isEqualTo(invalid("primary"));
        assertThat(put("ab", """
                {"model": "fraud-score", "kind": "ab", "variants": [{"name": "v1", "weight": 50}, {"name": "v9", "weight": 50}]}"""))
                .isEqualTo(invalid("variants[1].name"));
    }

    @Test
    void promotingAnAbTestWithoutAKnownVariantIsABadRequestNamingTheVariantField() throws Exception {
        assertThat(put("ab", AB).status()).isEqualTo(201);

        assertThat(send("POST", "/admin/experiments/ab/promote", null)).isEqualTo(invalid("variant"));
        assertThat(send("POST", "/admin/experiments/ab/promote", "{\"variant\": \"v9\"}")).isEqualTo(invalid("variant"));
        assertThat(send("POST", "/admin/experiments/ab/promote", "{\"variant\": 2}")).isEqualTo(invalid("variant"));
        assertThat(send("POST", "/admin/experiments/ab/promote", "{\"variant\": \"v2\"}").status()).isEqualTo(200);
    }

    @Test
    void anActionBodyThatIsNotAJsonObjectIsABadRequest() throws Exception {
        assertThat(put("ab", AB).status()).isEqualTo(201);

        for (String action : List.of("pause", "resume", "promote", "rollback")) {
            for (String body : List.of("[]", "\"x\"", "[3]", "{")) {
                assertThat(send("POST", "/admin/experiments/ab/" + action, body)).as("%s with %s", action, body).isEqualTo(invalid("body"));
            }
        }
    }

    @Test
    void aFinishedCanaryNoLongerBlocksANewRoutingExperimentOnItsModelButARunningOneDoes() throws Exception {
        assertThat(put("rolled-back", CANARY.formatted("v2")).status()).isEqualTo(201);
        assertThat(put("blocked", AB).status()).as("a running canary blocks").isEqualTo(409);
        assertThat(send("POST", "/admin/experiments/rolled-back/rollback", null).status()).isEqualTo(200);

        assertThat(put("promoted", CANARY.formatted("v2")).status()).isEqualTo(201);
        assertThat(send("POST", "/admin/experiments/promoted/promote", null).status()).isEqualTo(200);
        assertThat(put("ab", AB).status()).isEqualTo(201);
        assertThat(put("another", CANARY.formatted("v2")).status()).as("the new A/B test blocks").isEqualTo(409);
    }

    // --- helpers --------------------------------------------------------------------------------

    private static VariantConfig variant(String name) {
        return new VariantConfig(name, "1", null, Map.of(), Optional.empty(), null);
    }

    private Answer invalid(String field) {
        return new Answer(400, json.createObjectNode().put("field", field));
    }

    private Answer put(String name, String body) throws Exception {
        return send("PUT", "/admin/experiments/" + name, body);
    }

    /** The status, and for a 400 only the {@code field} of the error (the message is for people). */
    private Answer send(String method, String path, String body) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).as(response.body()).hasValue("application/json");
        JsonNode parsed = json.readTree(response.body().isEmpty() ? "{}" : response.body());
        assertThat(parsed.path("error").isTextual() || response.statusCode() < 400).as(response.body()).isTrue();
        JsonNode shown = response.statusCode() == 400 ? json.createObjectNode().set("field", parsed.path("field")) : json.createObjectNode();
        return new Answer(response.statusCode(), response.statusCode() == 400 ? shown : parsed);
    }
}
