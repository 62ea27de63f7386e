package dev.modelgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.admin.AdminPermissions;
import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.keys.NewKey;
import dev.modelgate.gateway.keys.Role;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every admin operation {@code openapi.json} documents (which {@link OpenApiDocumentTest} holds equal to
 * the routes the gateway mounts), called with a key of every role: a role below the route's is answered
 * 403 before the route runs, a role at or above it reaches the route (whatever the route then answers
 * about the made-up names in the path: never 401 or 403). A route added later is in the matrix without
 * anyone listing it, and needs admin until {@link AdminPermissions} says otherwise.
 */
class AdminRoleMatrixTest {

    private static final Map<String, Role> EXPECTED = Map.ofEntries(
            Map.entry("GET /admin/experiments", Role.VIEWER),
            Map.entry("GET /admin/experiments/{name}", Role.VIEWER),
            Map.entry("GET /admin/experiments/{name}/results", Role.VIEWER),
            Map.entry("GET /admin/experiments/{name}/results/history", Role.VIEWER),
            Map.entry("GET /admin/experiments/{name}/decisions", Role.VIEWER),
            Map.entry("GET /admin/models/{model}/drift", Role.VIEWER),
            Map.entry("GET /admin/models/{model}/drift/histograms", Role.VIEWER),
            Map.entry("GET /admin/backends", Role.VIEWER),
            Map.entry("PUT /admin/experiments/{name}", Role.EXPERIMENTER),
            Map.entry("DELETE /admin/experiments/{name}", Role.EXPERIMENTER),
            Map.entry("POST /admin/experiments/{name}/{action}", Role.EXPERIMENTER),
            Map.entry("POST /admin/models/{model}/variants/{variant}/reload", Role.OPERATOR),
            Map.entry("PUT /admin/models/{model}/reference", Role.OPERATOR),
            Map.entry("POST /admin/models/{model}/reference/from-traffic", Role.OPERATOR),
            Map.entry("POST /admin/models/{model}/drift/run", Role.OPERATOR),
            Map.entry("GET /admin/models/{model}/quality", Role.VIEWER),
            Map.entry("PUT /admin/models/{model}/quality/baseline", Role.OPERATOR),
            Map.entry("POST /admin/models/{model}/quality/run", Role.OPERATOR),
            Map.entry("POST /admin/jobs", Role.OPERATOR),
            Map.entry("GET /admin/jobs/{id}", Role.VIEWER),
            Map.entry("DELETE /admin/jobs/{id}", Role.OPERATOR),
            Map.entry("POST /admin/jobs/{id}/cancel", Role.OPERATOR),
            Map.entry("GET /admin/keys", Role.ADMIN),
            Map.entry("POST /admin/keys", Role.ADMIN),
            Map.entry("GET /admin/keys/{name}", Role.ADMIN),
            Map.entry("DELETE /admin/keys/{name}", Role.ADMIN));

    private final OpenApiContract contract = OpenApiContract.gateway();
    private final Map<Role, String> secrets = new EnumMap<>(Role.class);
    private Vertx vertx;
    private ApiRoutes routes;
    private String noRole;

    @BeforeEach
    void deploy() throws Exception {
        vertx = Vertx.vertx();
        routes = ApiRoutes.deploy(vertx);
        for (Role role : Role.values()) {
            secrets.put(role, add(role.wireName(), Optional.of(role)));
        }
        noRole = add("data-plane-only", Optional.empty());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void theTableGivesEveryDocumentedAdminRouteTheRoleTheIssueAsksFor() {
        List<String> admin = contract.operations().stream().filter(op -> op.contains(" /admin/")).toList();

        assertThat(admin).hasSize(EXPECTED.size());
        for (String operation : admin) {
            String[] parts = operation.split(" ", 2);
            String path = parts[1].replaceAll("\\{([A-Za-z0-9_]+)}", ":$1");
            assertThat(AdminPermissions.RULES).as(operation)
                    .anySatisfy(rule -> assertThat(rule.method().name() + " " + rule.path()).isEqualTo(parts[0] + " " + path));
            assertThat(AdminPermissions.required(HttpMethod.valueOf(parts[0]), concrete(parts[1]))).as(operation)
                    .isEqualTo(EXPECTED.get(operation));
        }
    }

    @Test
    void everyAdminRouteTimesEveryRoleIsRefusedBelowItsRoleAndServedFromIt() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (String operation : contract.operations()) {
            if (!operation.contains(" /admin/")) {
                continue;
            }
            String[] parts = operation.split(" ", 2);
            Role required = EXPECTED.get(operation);
            for (Role role : Role.values()) {
                int status = call(parts[0], concrete(parts[1]), secrets.get(role));
                boolean refused = status == 403;
                if (refused == role.includes(required) || status == 401) {
                    mismatches.add(operation + " as " + role.wireName() + " -> " + status);
                }
            }
            assertThat(call(parts[0], concrete(parts[1]), noRole)).as(operation + " with a key without a role").isEqualTo(403);
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void anUnknownAdminPathNeedsAdmin() {
        assertThat(AdminPermissions.required(HttpMethod.GET, "/admin/something-new")).isEqualTo(Role.ADMIN);
        assertThat(AdminPermissions.required(HttpMethod.GET, "/admin/experiments/a/b/c")).isEqualTo(Role.ADMIN);
    }

    private String add(String name, Optional<Role> role) throws Exception {
        return routes.keys().create(new NewKey(name, "ops", Set.of(), null, role, RateLimits.NONE)).await(10, TimeUnit.SECONDS)
                .orElseThrow().secret();
    }

    private static String concrete(String template) {
        return template.replaceAll("\\{action}", "pause").replaceAll("\\{[A-Za-z0-9_]+}", "no-such-thing");
    }

    private int call(String method, String path, String secret) throws Exception {
        return vertx.createHttpClient()
                .request(new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost("127.0.0.1").setPort(routes.port())
                        .setURI(path).putHeader("Authorization", "Bearer " + secret))
                .compose(request -> request.send(Buffer.buffer("{}")))
                .compose(response -> response.body().map(body -> response.statusCode()))
                .await(10, TimeUnit.SECONDS);
    }
}
