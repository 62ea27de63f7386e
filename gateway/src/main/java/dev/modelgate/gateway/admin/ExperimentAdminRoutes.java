package dev.modelgate.gateway.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.experiments.canary.CanaryState;
import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentSpec;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.SpecParser;
import dev.modelgate.experiments.spec.SpecValidationException;
import dev.modelgate.experiments.spec.Variant;
import dev.modelgate.gateway.api.ErrorResponses;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.control.DecisionRecorder;
import dev.modelgate.gateway.routing.ExperimentRules;
import dev.modelgate.gateway.state.ConcurrentChangeException;
import dev.modelgate.gateway.state.ExperimentCodec;
import dev.modelgate.gateway.state.ExperimentStore;
import dev.modelgate.gateway.state.StoreUnavailableException;
import dev.modelgate.gateway.state.StoredExperiment;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/experiments}: list, read, create or replace (PUT), delete, and the lifecycle actions
 * pause, resume, promote and rollback. Invalid specs get a 400 naming the field; a second routing
 * experiment on a model, or an action that makes no sense in the experiment's state, gets 409. Each
 * change is computed and checked from the store's latest state ({@link ExperimentStore#change}), so the
 * checks hold across a fleet. Every change is recorded in {@code experiment_decisions} with who made it
 * and the spec before and after.
 */
public final class ExperimentAdminRoutes implements AdminRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentAdminRoutes.class);
    private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() {};

    private final ExperimentStore store;
    private final Map<String, ModelConfig> models;
    private final DecisionRecorder decisions;
    private final ExperimentCodec codec = new ExperimentCodec();
    private final ObjectMapper mapper = new ObjectMapper();

    public ExperimentAdminRoutes(ExperimentStore store, Map<String, ModelConfig> models, DecisionRecorder decisions) {
        this.store = store;
        this.models = Map.copyOf(models);
        this.decisions = decisions;
    }

    @Override
    public void mount(Router router) {
        router.get("/admin/experiments").handler(this::list);
        router.get("/admin/experiments/:name").handler(this::get);
        router.put("/admin/experiments/:name").handler(this::put);
        router.delete("/admin/experiments/:name").handler(this::delete);
        router.post("/admin/experiments/:name/:action").handler(this::action);
    }

    private void list(RoutingContext ctx) {
        List<Map<String, Object>> experiments = store.all().values().stream()
                .sorted(java.util.Comparator.comparing(StoredExperiment::name)).map(codec::toMap).toList();
        json(ctx, 200, Map.of("experiments", experiments));
    }

    private void get(RoutingContext ctx) {
        store.find(ctx.pathParam("name")).ifPresentOrElse(
                e -> json(ctx, 200, codec.toMap(e)),
                () -> ErrorResponses.send(ctx, 404, "experiment '" + ctx.pathParam("name") + "' not found"));
    }

    private void put(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        ExperimentSpec spec;
        try {
            Map<String, Object> tree = mapper.readValue(ctx.body().asString(), TREE);
            if (tree == null) {
                throw new SpecValidationException("body", "must be a JSON object");
            }
            Object bodyName = tree.putIfAbsent("name", name);
            if (bodyName != null && !bodyName.equals(name)) {
                throw new SpecValidationException("name", "'" + bodyName + "' does not match the path's '" + name + "'");
            }
            spec = SpecParser.parse(tree);
        } catch (SpecValidationException e) {
            invalid(ctx, e);
            return;
        } catch (Exception e) {
            ErrorResponses.send(ctx, 400, "body is not a JSON experiment: " + e.getMessage());
            return;
        }
        Instant now = Instant.now();
        String actor = actor(ctx);
        store.change(name, (current, all) -> {
            StoredExperiment after = current.filter(before -> keepsRollout(before.spec(), spec))
                    .map(before -> before.withSpec(spec, now, actor))
                    .orElseGet(() -> StoredExperiment.created(spec, now, actor));
            ExperimentRules.check(after, models, all);
            return Optional.of(after);
        }).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, name, ar.cause());
                return;
            }
            StoredExperiment after = ar.result().after().orElseThrow();
            decisions.record("put", actor, "", null, ar.result().before().orElse(null), after, now.toEpochMilli());
            json(ctx, ar.result().before().isEmpty() ? 201 : 200, codec.toMap(after));
        });
    }

    /** Replacing a canary's spec keeps its rollout unless the variants or the steps changed. */
    private static boolean keepsRollout(ExperimentSpec before, ExperimentSpec after) {
        return before instanceof CanarySpec b && after instanceof CanarySpec a
                && b.baseline().equals(a.baseline()) && b.candidate().equals(a.candidate()) && b.steps().equals(a.steps());
    }

    private void delete(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        store.change(name, (current, all) -> Optional.empty()).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, name, ar.cause());
            } else if (ar.result().before().isEmpty()) {
                ErrorResponses.send(ctx, 404, "experiment '" + name + "' not found");
            } else {
                decisions.record("delete", actor(ctx), "", null, ar.result().before().get(), null, System.currentTimeMillis());
                ctx.response().setStatusCode(204).end();
            }
        });
    }

    private void action(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String action = ctx.pathParam("action");
        Instant now = Instant.now();
        String actor = actor(ctx);
        UnaryOperator<StoredExperiment> change;
        try {
            change = transition(action, actionBody(ctx), now, actor);
        } catch (SpecValidationException e) {
            invalid(ctx, e);
            return;
        } catch (IllegalArgumentException e) {
            ErrorResponses.send(ctx, 400, e.getMessage());
            return;
        }
        store.change(name, (current, all) -> Optional.of(change.apply(current.orElseThrow(() -> ExperimentStore.notFound(name)))))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        failed(ctx, name, ar.cause());
                        return;
                    }
                    StoredExperiment after = ar.result().after().orElseThrow();
                    decisions.record(action, actor, "manual " + action, null, ar.result().before().orElse(null), after, now.toEpochMilli());
                    json(ctx, 200, codec.toMap(after));
                });
    }

    /** An action's optional body: nothing, or a JSON object ({@code {"variant": "v2"}} for an A/B test's promote). */
    private static JsonObject actionBody(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            return null;
        }
        Object parsed;
        try {
            parsed = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new SpecValidationException("body", "is not valid JSON");
        }
        if (!(parsed instanceof JsonObject object)) {
            throw new SpecValidationException("body", "must be a JSON object or empty");
        }
        return object;
    }

    /**
     * A refused or failed change: an invalid spec names its field (400), a missing experiment is 404, a
     * conflict with another experiment, an action the experiment's state does not allow or a write that
     * kept losing races is 409, the store failing (Redis unreachable) is 503.
     */
    private static void failed(RoutingContext ctx, String name, Throwable cause) {
        if (cause instanceof SpecValidationException e) {
            invalid(ctx, e);
        } else if (cause instanceof NoSuchElementException) {
            ErrorResponses.send(ctx, 404, "experiment '" + name + "' not found");
        } else if (cause instanceof ExperimentRules.ConflictException || cause instanceof ConcurrentChangeException
                || cause instanceof IllegalStateException) {
            ErrorResponses.send(ctx, 409, cause.getMessage());
        } else if (cause instanceof StoreUnavailableException) {
            LOG.warn("experiment '{}' not changed: {}", name, cause.getMessage());
            ErrorResponses.send(ctx, 503, "experiment store unavailable: " + cause.getMessage());
        } else {
            LOG.error("experiment '{}' not changed", name, cause);
            ErrorResponses.send(ctx, 500, "internal error");
        }
    }

    private static void invalid(RoutingContext ctx, SpecValidationException e) {
        json(ctx, 400, Map.of("error", e.getMessage(), "field", e.field()));
    }

    /**
     * A canary's actions move its rollout; an A/B test's pause and resume switch it off and on, promote
     * gives a variant ({@code {"variant": "v2"}}) all traffic and rollback gives it all to the default.
     */
    private static UnaryOperator<StoredExperiment> transition(String action, JsonObject body, Instant now, String actor) {
        StoredExperiment.DecisionSummary summary = new StoredExperiment.DecisionSummary(action, "manual " + action + " by " + actor, now);
        return switch (action) {
            case "pause", "resume", "promote", "rollback" -> current -> {
                if (current.spec() instanceof CanarySpec) {
                    CanaryState state = current.canary().orElseThrow();
                    CanaryState next = switch (action) {
                        case "pause" -> state.pause(now);
                        case "resume" -> state.resume(now);
                        case "promote" -> state.promote(now);
                        default -> state.rollback(now);
                    };
                    return current.withCanary(next, now, actor, summary);
                }
                return current.withSpec(otherTransition(action, current.spec(), body), now, actor);
            };
            default -> throw new IllegalArgumentException("unknown action '" + action + "' (pause, resume, promote, rollback)");
        };
    }

    private static ExperimentSpec otherTransition(String action, ExperimentSpec spec, JsonObject body) {
        switch (action) {
            case "pause":
                return spec.withStatus(ExperimentStatus.PAUSED);
            case "resume":
                return spec.withStatus(ExperimentStatus.RUNNING);
            default:
                if (!(spec instanceof AbSpec ab)) {
                    throw new IllegalStateException(action + " applies to A/B tests and canaries, not to " + spec.kind());
                }
                List<String> names = ab.variants().stream().map(Variant::name).toList();
                Object asked = body == null ? null : body.getValue("variant");
                String winner = action.equals("rollback") ? ab.defaultVariant() : asked instanceof String s ? s : null;
                if (!names.contains(winner)) {
                    throw new SpecValidationException("variant", "promote needs {\"variant\": one of " + names + "}, got "
                            + (asked == null ? "none" : "'" + asked + "'"));
                }
                List<Variant> all = ab.variants().stream().map(v -> new Variant(v.name(), v.name().equals(winner) ? 100.0 : 0.0)).toList();
                return new AbSpec(ab.meta(), all, ab.targeting(), ab.holdoutPercent());
        }
    }

    private static String actor(RoutingContext ctx) {
        String actor = ctx.request().getHeader("X-Actor");
        return actor == null || actor.isBlank() ? "admin" : actor;
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.encode(body));
    }
}
