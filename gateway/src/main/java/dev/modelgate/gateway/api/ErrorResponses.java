package dev.modelgate.gateway.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Every error the API returns has the same shape: {@code {"error": "..."}} with a fitting status. */
public final class ErrorResponses {

    private ErrorResponses() {}

    public static void send(RoutingContext ctx, int status, String message) {
        var response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
