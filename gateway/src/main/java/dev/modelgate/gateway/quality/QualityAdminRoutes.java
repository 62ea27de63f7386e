package dev.modelgate.gateway.quality;

import static dev.modelgate.gateway.admin.AdminResponses.blocking;
import static dev.modelgate.gateway.admin.AdminResponses.fail;
import static dev.modelgate.gateway.admin.AdminResponses.send;

import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.api.ErrorResponses;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The quality part of the control plane:
 * <ul>
 *   <li>{@code GET /admin/models/{model}/quality} — this replica's last runs, else the latest stored ones;</li>
 *   <li>{@code POST /admin/models/{model}/quality/run} — evaluates every variant now and returns the runs;</li>
 *   <li>{@code PUT /admin/models/{model}/quality/baseline[?variant=v]} — a reference period or a labelled
 *       reference set ({@link BaselineUploads}), for every variant unless {@code ?variant=} names one.</li>
 * </ul>
 * Models without a {@code quality:} declaration are 404. ClickHouse work runs on worker threads or
 * the monitor's thread, never on the event loop.
 */
final class QualityAdminRoutes implements AdminRoutes {

    private final QualityMonitor monitor;
    private final BaselineUploads uploads;
    private final QualityHistory history;

    QualityAdminRoutes(QualityMonitor monitor, BaselineUploads uploads, QualityHistory history) {
        this.monitor = monitor;
        this.uploads = uploads;
        this.history = history;
    }

    @Override
    public void mount(Router router) {
        router.get("/admin/models/:model/quality").handler(this::latest);
        router.post("/admin/models/:model/quality/run").handler(this::runNow);
        router.put("/admin/models/:model/quality/baseline").handler(this::putBaseline);
    }

    private void latest(RoutingContext ctx) {
        List<QualityTarget> targets = targets(ctx);
        if (targets.isEmpty()) {
            return;
        }
        List<QualityRun> runs = monitor.lastRuns(ctx.pathParam("model"));
        if (!runs.isEmpty()) {
            send(ctx, 200, answer(targets, "memory", runs));
            return;
        }
        blocking(ctx, () -> header(targets, "clickhouse").put("variants", history.latestRuns(ctx.pathParam("model"))), 200);
    }

    private void runNow(RoutingContext ctx) {
        List<QualityTarget> targets = targets(ctx);
        if (targets.isEmpty()) {
            return;
        }
        Future.fromCompletionStage(monitor.runNow(ctx.pathParam("model")), ctx.vertx().getOrCreateContext()).onComplete(result -> {
            if (result.failed()) {
                fail(ctx, result.cause());
            } else {
                send(ctx, 200, answer(targets, "run", result.result()));
            }
        });
    }

    private void putBaseline(RoutingContext ctx) {
        List<QualityTarget> targets = targets(ctx);
        if (targets.isEmpty()) {
            return;
        }
        String variant = ctx.queryParams().get("variant");
        List<QualityTarget> chosen = variant == null ? targets : targets.stream().filter(t -> t.variant().equals(variant)).toList();
        if (chosen.isEmpty()) {
            ErrorResponses.send(ctx, 404, "model '" + ctx.pathParam("model") + "' has no variant '" + variant + "'");
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            ErrorResponses.send(ctx, 400, "body is not a JSON object: " + e.getMessage());
            return;
        }
        if (body == null) {
            ErrorResponses.send(ctx, 400, "body must be a JSON object");
            return;
        }
        blocking(ctx, () -> {
            JsonArray stored = new JsonArray();
            uploads.store(chosen, body).forEach(b -> stored.add(new JsonObject().put("variant", b.variant()).put("source", b.source())
                    .put("n", b.metrics().n()).put("metrics", MetricSetJson.of(b.metrics()).getJsonObject("metrics"))));
            return new JsonObject().put("model", ctx.pathParam("model")).put("baselines", stored);
        }, 201);
    }

    /** The model's targets; answers 404 and returns none when it has no quality declaration. */
    private List<QualityTarget> targets(RoutingContext ctx) {
        String model = ctx.pathParam("model");
        List<QualityTarget> targets = monitor.targets(model);
        if (targets.isEmpty()) {
            ErrorResponses.send(ctx, 404, "no model named '" + model + "' declares quality monitoring (models." + model + ".quality)");
        }
        return targets;
    }

    private static JsonObject answer(List<QualityTarget> targets, String source, List<QualityRun> runs) {
        JsonArray variants = new JsonArray();
        runs.forEach(run -> variants.add(QualityRunJson.of(run)));
        return header(targets, source).put("variants", variants);
    }

    private static JsonObject header(List<QualityTarget> targets, String source) {
        QualityTarget first = targets.get(0);
        return new JsonObject().put("model", first.model()).put("task", first.spec().task().configName())
                .put("label_metric", first.spec().labelMetric()).put("alert_metric", first.spec().alertMetric()).put("source", source);
    }
}
