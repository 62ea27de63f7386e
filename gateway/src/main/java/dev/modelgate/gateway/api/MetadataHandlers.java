package dev.modelgate.gateway.api;

import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.TensorSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/** The Open Inference Protocol's health and metadata endpoints. */
public final class MetadataHandlers {

    private final ModelRegistry models;
    private final String version;
    private final Supplier<List<String>> stalledEventLogs;

    /** @param stalledEventLogs tables whose event writer has stopped making progress: the gateway is not ready */
    public MetadataHandlers(ModelRegistry models, String version, Supplier<List<String>> stalledEventLogs) {
        this.models = models;
        this.version = version;
        this.stalledEventLogs = stalledEventLogs;
    }

    /** {@code GET /v2}: server metadata. */
    public void server(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("name", "modelgate").put("version", version).put("extensions", new JsonArray()));
    }

    /** {@code GET /v2/health/live}: the process answers. */
    public void live(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("live", true));
    }

    /**
     * {@code GET /v2/health/ready}: every model can answer from a real variant (its default variant or a
     * fallback is ready) and every event log is being written: a replica that serves but can no longer
     * log is taken out of rotation. Variants that cannot serve (a remote server down) are listed in
     * {@code unavailable_variants} without making the replica unready: every replica shares the same
     * peers, so taking them all out of rotation would turn one missing variant into an outage.
     */
    public void ready(RoutingContext ctx) {
        List<String> stalled = stalledEventLogs.get();
        boolean ready = ready(stalled);
        JsonObject body = new JsonObject().put("ready", ready);
        List<String> unavailable = models.unavailableVariants();
        if (!unavailable.isEmpty()) {
            body.put("unavailable_variants", new JsonArray(unavailable));
        }
        if (!stalled.isEmpty()) {
            body.put("stalled_event_logs", new JsonArray(stalled));
        }
        json(ctx, ready ? 200 : 503, body);
    }

    /** Whether the replica should take traffic, as {@code GET /v2/health/ready} says (gRPC's ServerReady asks this too). */
    public boolean isReady() {
        return ready(stalledEventLogs.get());
    }

    private boolean ready(List<String> stalled) {
        return models.isReady() && stalled.isEmpty();
    }

    /** The server version this gateway reports. */
    public String version() {
        return version;
    }

    /**
     * {@code GET /v2/models/{model}}: inputs and outputs as read from the default variant's model, or
     * from the first ready variant while the default one's server has not given them.
     */
    public void model(RoutingContext ctx) {
        ServedModel model = find(ctx);
        if (model == null) {
            return;
        }
        if (model.readyVariant().isEmpty()) {
            ErrorResponses.send(ctx, 503, "model '" + model.name() + "' has no ready variant: " + model.unavailableVariants());
            return;
        }
        ModelMetadata metadata = model.readyVariant().get().backend().metadata();
        JsonArray versions = new JsonArray();
        model.versions().forEach(versions::add);
        json(ctx, 200, new JsonObject()
                .put("name", model.name())
                .put("versions", versions)
                .put("platform", metadata.platform())
                .put("inputs", specs(metadata.inputs()))
                .put("outputs", specs(metadata.outputs())));
    }

    /** {@code GET /v2/models/{model}/ready}: the model as {@link ServedModel#isReady()}, each variant in {@code variants}. */
    public void modelReady(RoutingContext ctx) {
        ServedModel model = find(ctx);
        if (model != null) {
            boolean ready = model.isReady();
            JsonObject variants = new JsonObject();
            List<String> unavailable = model.unavailableVariants();
            model.variants().keySet().stream().sorted().forEach(name -> variants.put(name, !unavailable.contains(name)));
            json(ctx, ready ? 200 : 503, new JsonObject().put("name", model.name()).put("ready", ready).put("variants", variants));
        }
    }

    private ServedModel find(RoutingContext ctx) {
        String name = ctx.pathParam("model");
        ServedModel model = models.find(name).orElse(null);
        if (model == null) {
            ErrorResponses.send(ctx, 404, "model '" + name + "' not found");
        }
        return model;
    }

    private static JsonArray specs(List<TensorSpec> specs) {
        JsonArray out = new JsonArray();
        for (TensorSpec spec : specs) {
            JsonArray shape = new JsonArray();
            for (long dim : spec.shape()) {
                shape.add(dim);
            }
            out.add(new JsonObject().put("name", spec.name()).put("datatype", spec.datatype().protocolName()).put("shape", shape));
        }
        return out;
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
