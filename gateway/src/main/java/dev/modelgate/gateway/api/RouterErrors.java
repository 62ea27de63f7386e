package dev.modelgate.gateway.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.ToLongFunction;

/**
 * The router's error handlers: the JSON errors of requests that failed outside the API's own handlers
 * (no route, wrong method, a body over its limit, a request Vert.x could not
 * parse, an exception), and the rows of such failed infer calls ({@link EarlyRejections}).
 */
final class RouterErrors {

    private final ToLongFunction<RoutingContext> bodyLimit;
    private final EarlyRejections rejections;

    /** @param bodyLimit the body limit that applies to a request (uploads have their own) */
    RouterErrors(ToLongFunction<RoutingContext> bodyLimit, EarlyRejections rejections) {
        this.bodyLimit = bodyLimit;
        this.rejections = rejections;
    }

    /**
     * The handler of one status. Vert.x calls it with that status, but not always with the context's
     * status code set (a request that fails while routes are matched reaches it directly).
     */
    Handler<RoutingContext> handler(int status) {
        return ctx -> {
            String message = message(ctx, status);
            rejections.record(ctx, status, message);
            ErrorResponses.send(ctx, status, message);
        };
    }

    private String message(RoutingContext ctx, int status) {
        return switch (status) {
            case 400 -> ctx.failure() == null || ctx.failure().getMessage() == null ? "bad request"
                    : "bad request: " + ctx.failure().getMessage();
            case 404 -> "no such endpoint: " + ctx.request().path();
            case 405 -> "method " + ctx.request().method() + " not allowed on " + ctx.request().path();
            case 413 -> "request body larger than " + bodyLimit.applyAsLong(ctx) + " bytes";
            default -> status >= 500 ? "internal error" : HttpResponseStatus.valueOf(status).reasonPhrase();
        };
    }
}
