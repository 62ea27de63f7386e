package dev.modelgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Route;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code openapi.json} is a valid OpenAPI 3.1 document, describes exactly the routes the gateway
 * registers, and is served at {@code /openapi.json} without a token.
 */
class OpenApiDocumentTest {

    private record Answer(int status, String contentType, Buffer body) {}

    private final OpenApiContract contract = OpenApiContract.gateway();
    private Vertx vertx;
    private ApiRoutes routes;

    @BeforeEach
    void deploy() throws Exception {
        vertx = Vertx.vertx();
        routes = ApiRoutes.deploy(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void theDocumentValidatesAgainstTheOfficialOpenApi31Schema() throws Exception {
        assertThat(officialSchema().validate(contract.document())).isEmpty();
    }

    @Test
    void theOfficialSchemaRejectsAResponseWithoutDescription() throws Exception {
        ObjectNode broken = contract.document().deepCopy();
        ((ObjectNode) broken.at("/paths/~1v2~1health~1live/get/responses/200")).remove("description");

        assertThat(officialSchema().validate(broken)).extracting(ValidationMessage::getMessage)
                .anySatisfy(message -> assertThat(message).contains("description"));
    }

    @Test
    void everyResponseSchemaCompilesWithItsReferencesResolved() {
        List<String> schemas = contract.responseSchemas();

        assertThat(schemas).hasSizeGreaterThan(50);
        schemas.forEach(pointer -> assertThat(contract.schema(pointer)).as(pointer).isNotNull());
    }

    @Test
    void everyRouteTheGatewayRegistersIsDocumentedAndNothingElse() {
        Set<String> registered = new TreeSet<>();
        List<String> guards = new ArrayList<>();
        for (Route route : routes.router().getRoutes()) {
            if (route.methods() == null || route.methods().isEmpty()) {
                guards.add(route.getPath()); // a handler on every method: the admin token check, then the body reader
                continue;
            }
            route.methods().forEach(method -> registered.add(method.name() + " " + openApiPath(route.getPath())));
        }

        assertThat(guards).containsExactly("/admin/", "/admin/");
        assertThat(contract.operations()).isEqualTo(registered);
    }

    @Test
    void theDocumentIsServedWithoutATokenAndDescribesItself() throws Exception {
        Answer answer = vertx.createHttpClient()
                .request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(routes.port()).setURI("/openapi.json"))
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(), response.getHeader("Content-Type"), body)))
                .await(10, TimeUnit.SECONDS);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(OpenApiContract.parse(answer.body().getBytes())).isEqualTo(contract.document());
        contract.check("GET", "/openapi.json", answer.status(), answer.contentType(), answer.body().toString());
    }

    @Test
    void anAnswerTheDocumentDoesNotDescribeFailsWithTheValidatorsMessage() {
        assertThatThrownBy(() -> contract.check("GET", "/v2/health/ready", 200, "application/json", "{\"ready\":\"yes\"}"))
                .hasMessageContaining("/ready").hasMessageContaining("boolean");
        assertThatThrownBy(() -> contract.check("GET", "/v2/health/live", 418, "application/json", "{\"error\":\"teapot\"}"))
                .hasMessageContaining("no status 418");
        assertThatThrownBy(() -> contract.check("GET", "/metrics", 200, "application/json", "{}"))
                .hasMessageContaining("text/plain");
        assertThatThrownBy(() -> contract.check("GET", "/v2/no-such-thing", 200, "application/json", "{}"))
                .hasMessageContaining("documents no GET /v2/no-such-thing");
    }

    @Test
    void concretePathsWinOverTemplatesAndRouterRefusalsNeedTheErrorBody() {
        contract.check("GET", "/admin/experiments/ab/results", 409, "application/json", "{\"error\":\"shadow\"}");
        contract.check("POST", "/admin/experiments/ab/pause", 200, "application/json", "{\"spec\":{\"kind\":\"ab\"}}");
        contract.check("PUT", "/v2/models/m/infer", 405, "application/json", "{\"error\":\"method PUT not allowed\"}");
        assertThatThrownBy(() -> contract.check("GET", "/nowhere", 404, "text/html", "<h1>404</h1>"))
                .hasMessageContaining("application/json");
    }

    /** Vert.x writes {@code :name} where OpenAPI writes {@code {name}}. */
    private static String openApiPath(String vertxPath) {
        return vertxPath.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
    }

    private static JsonSchema officialSchema() throws Exception {
        // the OpenAPI Initiative's schema of 3.1 documents (2022-10-07), shipped because tests run offline
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi-3.1-schema.json")) {
            JsonNode schema = OpenApiContract.parse(in.readAllBytes());
            assertThat(schema.path("$id").asText().toLowerCase(Locale.ROOT)).startsWith("https://spec.openapis.org/oas/3.1/schema/");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        }
    }
}
