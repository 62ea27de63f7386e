package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import static dev.modelgate.gateway.admin.AdminResponses.blocking;
import static dev.modelgate.gateway.admin.AdminResponses.fail;
import static dev.modelgate.gateway.admin.AdminResponses.send;

import dev.modelgate.drift.evaluate.FeatureHistogram;
import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.api.ApiException;
import dev.modelgate.gateway.api.ErrorResponses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;

/**
 * The drift part of the control plane:
 * <ul>
 *   <li>{@code PUT /admin/models/{model}/reference[?variant=v]} — JSON {@code {"rows": [...]}} or CSV
 *       with a header ({@code text/csv}, {@code application/csv} and their aliases), up to
 *       {@code server.max_upload_bytes};</li>
 *   <li>{@code POST /admin/models/{model}/reference/from-traffic[?variant=v]} — {@code {"variant": "v1",
 *       "rows": N}} or {@code "hours": H}: the first logged traffic of that variant;</li>
 *   <li>{@code GET /admin/models/{model}/drift} — this replica's last runs, else the latest stored ones;</li>
 *   <li>{@code POST /admin/models/{model}/drift/run} — runs every variant now and returns the runs;</li>
 *   <li>{@code GET /admin/models/{model}/drift/histograms?variant=v} — reference vs current counts per cell
 *       of each feature in the last window this replica compared (404 before its first).</li>
 * </ul>
 * A reference applies to every variant of the model unless {@code ?variant=} names one. ClickHouse
 * work runs on worker threads or the monitor's thread, never on the event loop.
 */
public final class DriftAdminRoutes implements AdminRoutes {

    private final DriftMonitor monitor;
    private final ReferenceUploads uploads;
    private final ReportHistory history;
    private final ObjectMapper json = new ObjectMapper();

    DriftAdminRoutes(DriftMonitor monitor, ReferenceUploads uploads, ReportHistory history) {
        this.monitor = monitor;
        this.uploads = uploads;
        this.history = history;
    }

    @Override
    public void mount(Router router) {
        router.put("/admin/models/:model/reference").handler(this::putReference);
        router.post("/admin/models/:model/reference/from-traffic").handler(this::referenceFromTraffic);
        router.get("/admin/models/:model/drift").handler(this::latest);
        router.post("/admin/models/:model/drift/run").handler(this::runNow);
        router.get("/admin/models/:model/drift/histograms").handler(this::histograms);
    }

    /** {@code ?variant=v}: reference vs current counts per cell of every feature, from this replica's last compared window. */
    private void histograms(RoutingContext ctx) {
        String model = ctx.pathParam("model");
        String variant = ctx.queryParams().get("variant");
        if (!monitor.watches(model)) {
            ErrorResponses.send(ctx, 404, "no model named '" + model + "'");
            return;
        }
        if (variant == null || monitor.targets(model).stream().noneMatch(t -> t.variant().equals(variant))) {
            ErrorResponses.send(ctx, 400, "?variant= must name a variant of model '" + model + "'");
            return;
        }
        DriftMonitor.WindowHistograms last = monitor.lastHistograms(model, variant).orElse(null);
        if (last == null) {
            ErrorResponses.send(ctx, 404, "this replica has compared no window of " + model + "/" + variant
                    + " since it started: POST /admin/models/" + model + "/drift/run");
            return;
        }
        JsonArray features = new JsonArray();
        last.features().stream().sorted(Comparator.comparing(FeatureHistogram::feature)).forEach(h -> features.add(new JsonObject()
                .put("feature", h.feature())
                .put("labels", new JsonArray(h.labels()))
                .put("reference", new JsonArray(h.reference()))
                .put("current", new JsonArray(h.current()))));
        send(ctx, 200, new JsonObject().put("model", model).put("variant", variant).put("run_id", last.runId())
                .put("window_start", last.window().start().toString()).put("window_end", last.window().end().toString())
                .put("features", features));
    }

    private void putReference(RoutingContext ctx) {
        List<DriftTarget> targets;
        try {
            targets = referenceTargets(ctx);
        } catch (ApiException e) {
            ErrorResponses.send(ctx, e.status(), e.getMessage());
            return;
        }
        String body = ReferenceRows.withoutByteOrderMark(ctx.body().asString());
        boolean csv = ReferenceRows.isCsv(ctx.request().getHeader("Content-Type"));
        blocking(ctx, () -> stored(uploads.uploaded(targets,
                sink -> {
                    if (csv) {
                        ReferenceRows.fromCsv(body, sink);
                    } else {
                        ReferenceRows.fromJson(parse(body), sink);
                    }
                }, csv ? "upload:csv" : "upload:json")), 201);
    }

    private void referenceFromTraffic(RoutingContext ctx) {
        List<DriftTarget> targets;
        JsonNode request;
        try {
            targets = referenceTargets(ctx);
            request = parse(ctx.body().asString());
        } catch (ApiException e) {
            ErrorResponses.send(ctx, e.status(), e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            ErrorResponses.send(ctx, 400, e.getMessage());
            return;
        }
        String model = ctx.pathParam("model");
        String source = request.path("variant").asText("");
        long rows = request.path("rows").asLong(0);
        long hours = request.path("hours").asLong(0);
        if (monitor.targets(model).stream().noneMatch(t -> t.variant().equals(source))) {
            ErrorResponses.send(ctx, 400, "\"variant\" must name a variant of model '" + model + "', got '" + source + "'");
            return;
        }
        if ((rows > 0) == (hours > 0)) {
            ErrorResponses.send(ctx, 400, "give exactly one of \"rows\" or \"hours\", as a positive whole number");
            return;
        }
        blocking(ctx, () -> stored(uploads.fromTraffic(targets, model, source, rows, hours)), 201);
    }

    private void latest(RoutingContext ctx) {
        String model = ctx.pathParam("model");
        if (!monitor.watches(model)) {
            ErrorResponses.send(ctx, 404, "no model named '" + model + "'");
            return;
        }
        List<DriftRun> runs = monitor.lastRuns(model);
        if (!runs.isEmpty()) {
            JsonArray variants = new JsonArray();
            runs.forEach(run -> variants.add(DriftRunJson.of(run)));
            send(ctx, 200, new JsonObject().put("model", model).put("source", "memory").put("variants", variants));
            return;
        }
        blocking(ctx, () -> new JsonObject().put("model", model).put("source", "clickhouse").put("variants", history.latestRuns(model)), 200);
    }

    private void runNow(RoutingContext ctx) {
        String model = ctx.pathParam("model");
        if (!monitor.watches(model)) {
            ErrorResponses.send(ctx, 404, "no model named '" + model + "'");
            return;
        }
        Future.fromCompletionStage(monitor.runNow(model), ctx.vertx().getOrCreateContext()).onComplete(result -> {
            if (result.failed()) {
                fail(ctx, result.cause());
                return;
            }
            JsonArray variants = new JsonArray();
            result.result().forEach(run -> variants.add(DriftRunJson.of(run)));
            send(ctx, 200, new JsonObject().put("model", model).put("variants", variants));
        });
    }

    private List<DriftTarget> referenceTargets(RoutingContext ctx) {
        String model = ctx.pathParam("model");
        List<DriftTarget> all = monitor.targets(model);
        if (all.isEmpty()) {
            throw ApiException.notFound("no model named '" + model + "'");
        }
        String variant = ctx.queryParams().get("variant");
        if (variant == null) {
            return all;
        }
        List<DriftTarget> one = all.stream().filter(t -> t.variant().equals(variant)).toList();
        if (one.isEmpty()) {
            throw ApiException.notFound("model '" + model + "' has no variant '" + variant + "'");
        }
        return one;
    }

    private JsonNode parse(String body) {
        try {
            JsonNode tree = body == null ? null : json.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("body must be a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + e.getMessage());
        }
    }

    private static JsonObject stored(ReferenceUploads.Stored stored) {
        return new JsonObject()
                .put("variants", new JsonArray(stored.variants()))
                .put("rows", stored.rows())
                .put("features", new JsonArray(stored.features()));
    }
}
