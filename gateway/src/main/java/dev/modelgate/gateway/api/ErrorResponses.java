package dev.modelgate.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Every error the API returns has the same shape: {@code {"error": "..."}} with a fitting status. */
public final class ErrorResponses {

    private static final long LINGER_MILLIS = 1_000;

    private ErrorResponses() {}

    /** Completes once the answer is written (at once if the response was already over). */
    public static Future<Void> send(RoutingContext ctx, int status, String message) {
        var response = ctx.response();
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        return response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }

    /**
     * As {@link #send}, for a refusal before the request's body was read: the caller is told to close,
     * and the connection is closed a second after the answer if it has not been by then, so that a
     * refused caller cannot go on streaming a body the gateway only reads to throw away. Not at once:
     * closing a socket with unread bytes resets it, and a reset can destroy the answer before the
     * client has read it.
     */
    public static void refuseUnread(RoutingContext ctx, int status, String message) {
        var request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean bodyComing = !request.isEnded() && (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                || length != null && !length.trim().equals("0"));
        if (!bodyComing) {
            send(ctx, status, message);
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        send(ctx, status, message).onComplete(sent -> ctx.vertx().setTimer(LINGER_MILLIS, linger -> request.connection().close()));
    }
}
