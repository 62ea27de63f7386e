package dev.modelgate.gateway.admin;

import dev.modelgate.gateway.api.ErrorResponses;
import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.keys.ApiKey;
import dev.modelgate.gateway.keys.KeyCodec;
import dev.modelgate.gateway.keys.KeyService;
import dev.modelgate.gateway.keys.NewKey;
import dev.modelgate.gateway.keys.Role;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code /admin/keys}: create a key (its secret is in the answer and nowhere else), list keys, read
 * one with its suspicion score, revoke one. Keys declared in the configuration are listed but can only
 * be removed from the file.
 */
public final class KeyAdminRoutes implements AdminRoutes {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final KeyService keys;
    private final Set<String> models;
    private final Function<String, JsonObject> monitoring;

    /** @param monitoring the probing monitor's view of a key, added to {@code GET /admin/keys/{name}} */
    public KeyAdminRoutes(KeyService keys, Set<String> models, Function<String, JsonObject> monitoring) {
        this.keys = keys;
        this.models = Set.copyOf(models);
        this.monitoring = monitoring;
    }

    @Override
    public void mount(Router router) {
        router.post("/admin/keys").handler(this::create);
        router.get("/admin/keys").handler(this::list);
        router.get("/admin/keys/:name").handler(this::get);
        router.delete("/admin/keys/:name").handler(this::revoke);
    }

    private void create(RoutingContext ctx) {
        NewKey request;
        try {
            request = parse(ctx.body() == null ? null : ctx.body().asString());
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            ErrorResponses.send(ctx, 400, e.getMessage());
            return;
        }
        keys.create(request).onComplete(ar -> {
            if (ar.failed()) {
                ErrorResponses.send(ctx, 503, "the key store is unavailable: " + ar.cause().getMessage());
            } else if (ar.result().isEmpty()) {
                ErrorResponses.send(ctx, 409, "a key named '" + request.name() + "' exists");
            } else {
                KeyService.Created created = ar.result().get();
                ApiKey key = created.key();
                JsonObject config = KeyCodec.encode(key);
                config.remove("created_at");
                ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("key", KeyCodec.describe(key)).put("secret", created.secret())
                                .put("config", config).encode());
            }
        });
    }

    private void list(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        keys.ring().all().stream().sorted(Comparator.comparing(ApiKey::name)).forEach(key -> list.add(describe(key)));
        json(ctx, new JsonObject().put("keys", list));
    }

    private void get(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        keys.ring().byName(name).ifPresentOrElse(
                key -> json(ctx, describe(key).put("monitoring", monitoring.apply(name))),
                () -> ErrorResponses.send(ctx, 404, "API key '" + name + "' not found"));
    }

    private void revoke(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        if (keys.declared(name)) {
            ErrorResponses.send(ctx, 409, "API key '" + name + "' is declared in the configuration: remove it there");
            return;
        }
        keys.revoke(name).onComplete(ar -> {
            if (ar.failed()) {
                ErrorResponses.send(ctx, 503, "the key store is unavailable: " + ar.cause().getMessage());
            } else if (!ar.result()) {
                ErrorResponses.send(ctx, 404, "API key '" + name + "' not found");
            } else {
                json(ctx, new JsonObject().put("revoked", name));
            }
        });
    }

    private JsonObject describe(ApiKey key) {
        return KeyCodec.describe(key).put("declared", keys.declared(key.name()));
    }

    private NewKey parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("body must be a JSON object with at least a name");
        }
        JsonObject body = new JsonObject(text);
        String name = body.getString("name");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must match " + NAME.pattern());
        }
        Set<String> scope = new HashSet<>();
        for (Object model : body.getJsonArray("models", new JsonArray().add("*"))) {
            String m = String.valueOf(model);
            if (!m.equals("*") && !models.contains(m)) {
                throw new IllegalArgumentException("no model '" + m + "' is configured");
            }
            scope.add(m);
        }
        if (scope.isEmpty()) {
            throw new IllegalArgumentException("models must name at least one model, or be [\"*\"] for all");
        }
        if (scope.contains("*")) {
            scope.clear();
        }
        Instant expires = null;
        if (body.getString("expires_at") != null) {
            try {
                expires = Instant.parse(body.getString("expires_at"));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expires_at must be an ISO-8601 instant like 2027-01-31T00:00:00Z");
            }
        }
        Optional<Role> role = Optional.empty();
        if (body.getString("role") != null) {
            role = Optional.of(Role.parse(body.getString("role")).orElseThrow(() ->
                    new IllegalArgumentException("role must be viewer, experimenter, operator or admin")));
        }
        RateLimits limits = KeyCodec.limits(body.getJsonObject("limits", new JsonObject()));
        return new NewKey(name, body.getString("owner", ""), scope, expires, role, limits);
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
