package dev.modelgate.gateway.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.api.ErrorResponses;
import dev.modelgate.gateway.config.ConfigException;
import dev.modelgate.gateway.config.JobSpec;
import dev.modelgate.gateway.config.JobSpecLoader;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The batch jobs of the control plane:
 * <ul>
 *   <li>{@code POST /admin/jobs[?resume=true]} — a job spec as JSON (the YAML file's keys); 202 with its id;</li>
 *   <li>{@code GET /admin/jobs/{id}} — status, counts, rate, ETA and, once checked, the data-quality report;</li>
 *   <li>{@code DELETE /admin/jobs/{id}} or {@code POST /admin/jobs/{id}/cancel} — stop after the chunk in hand (202).</li>
 * </ul>
 */
public final class JobAdminRoutes implements AdminRoutes {

    private final JobManager jobs;
    private final ObjectMapper json = new ObjectMapper();

    public JobAdminRoutes(JobManager jobs) {
        this.jobs = jobs;
    }

    @Override
    public void mount(Router router) {
        router.post("/admin/jobs").handler(this::submit);
        router.get("/admin/jobs/:id").handler(this::status);
        router.delete("/admin/jobs/:id").handler(this::cancel);
        router.post("/admin/jobs/:id/cancel").handler(this::cancel);
    }

    private void submit(RoutingContext ctx) {
        JobSpec spec;
        try {
            JsonNode body = json.readTree(ctx.body().asString());
            if (body == null || !body.isObject()) {
                ErrorResponses.send(ctx, 400, "the body must be a job spec as a JSON object");
                return;
            }
            // relative file paths resolve against the gateway's working folder
            spec = JobSpecLoader.parse(body, Path.of("").toAbsolutePath(), Optional.empty());
        } catch (JsonProcessingException e) {
            ErrorResponses.send(ctx, 400, "the body is not valid JSON: " + e.getOriginalMessage());
            return;
        } catch (ConfigException e) {
            ErrorResponses.send(ctx, 400, e.getMessage());
            return;
        }
        boolean resume = "true".equals(ctx.request().getParam("resume"));
        try {
            JobManager.Submission submission = jobs.submit(spec, resume);
            send(ctx, 202, new JsonObject().put("id", spec.id()).put("status", submission.progress().state().label()));
        } catch (IllegalStateException e) {
            ErrorResponses.send(ctx, 409, e.getMessage());
        }
    }

    private void status(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Optional<JobManager.Submission> here = jobs.find(id);
        if (here.isPresent()) {
            send(ctx, 200, JobJson.of(here.get(), jobs.outcome(id).orElse(null)));
            return;
        }
        ctx.vertx().executeBlocking(() -> jobs.stored(id)).onComplete(result -> {
            if (result.failed()) {
                ErrorResponses.send(ctx, 503, "the jobs table cannot be read: " + result.cause().getMessage());
            } else if (result.result().isEmpty()) {
                ErrorResponses.send(ctx, 404, "no job '" + id + "'");
            } else {
                send(ctx, 200, JobJson.of(result.result().get()));
            }
        });
    }

    private void cancel(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!jobs.cancel(id)) {
            ErrorResponses.send(ctx, 404, "no queued or running job '" + id + "' on this gateway");
            return;
        }
        send(ctx, 202, new JsonObject().put("id", id).put("status", "cancelling"));
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
