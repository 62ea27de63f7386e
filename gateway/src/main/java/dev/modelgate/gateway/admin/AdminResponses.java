package dev.modelgate.gateway.admin;

import dev.modelgate.gateway.api.ErrorResponses;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How admin routes that read or write ClickHouse answer: the work runs on a worker thread, a bad
 * request ({@link IllegalArgumentException}) is a 400 with its message, an unreachable ClickHouse a
 * 503, anything else a logged 500.
 */
public final class AdminResponses {

    private static final Logger LOG = LoggerFactory.getLogger(AdminResponses.class);

    private AdminResponses() {
    }

    /** Runs blocking {@code work} off the event loop and answers {@code status} with its result. */
    public static void blocking(RoutingContext ctx, Callable<JsonObject> work, int status) {
        ctx.vertx().executeBlocking(work, false).onComplete(result -> {
            if (result.succeeded()) {
                send(ctx, status, result.result());
            } else {
                fail(ctx, result.cause());
            }
        });
    }

    public static void fail(RoutingContext ctx, Throwable failure) {
        if (failure instanceof IllegalArgumentException) {
            ErrorResponses.send(ctx, 400, failure.getMessage());
        } else if (failure instanceof ClickHouseCallException) {
            ErrorResponses.send(ctx, 503, "ClickHouse unavailable: " + failure.getMessage());
        } else {
            LOG.error("admin request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
            ErrorResponses.send(ctx, 500, "internal error");
        }
    }

    public static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
