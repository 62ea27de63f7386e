package dev.modelgate.gateway.analysis;

import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.api.ErrorResponses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/experiments/{name}/results}: computed on request (on a worker: it queries
 * ClickHouse). 404 for an unknown experiment, 409 for a shadow experiment, 503 when ClickHouse cannot answer.
 */
final class ResultsAdminRoutes implements AdminRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsAdminRoutes.class);

    private final ResultsService results;

    ResultsAdminRoutes(ResultsService results) {
        this.results = results;
    }

    @Override
    public void mount(Router router) {
        router.get("/admin/experiments/:name/results").handler(this::results);
    }

    private void results(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        ctx.vertx().executeBlocking(() -> results.compute(name), false).onComplete(ar -> {
            if (ar.succeeded()) {
                ar.result().ifPresentOrElse(
                        r -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                                .end(ResultsJson.of(r).encode()),
                        () -> ErrorResponses.send(ctx, 404, "experiment '" + name + "' not found"));
            } else if (ar.cause() instanceof AnalysisUnavailableException) {
                ErrorResponses.send(ctx, 503, ar.cause().getMessage());
            } else if (ar.cause() instanceof IllegalStateException) {
                ErrorResponses.send(ctx, 409, ar.cause().getMessage());
            } else {
                LOG.error("results of experiment '{}' failed", name, ar.cause());
                ErrorResponses.send(ctx, 500, "internal error");
            }
        });
    }
}
