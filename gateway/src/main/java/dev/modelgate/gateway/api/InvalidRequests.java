package dev.modelgate.gateway.api;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Answers what Netty's HTTP decoder refuses before any route sees it — a request line over
 * {@code max_initial_line_length} (414), a header section over {@code max_header_size} (431), a header
 * name or value with forbidden characters, a duplicate {@code Content-Length}, a request that is not
 * HTTP (400) — with the API's JSON error, where Vert.x would send an empty body or just close. The
 * connection is closed afterwards: after a framing error the rest of its bytes cannot be trusted.
 * Nothing is logged: a malformed request is the client's problem, not the gateway's.
 */
final class InvalidRequests {

    private InvalidRequests() {}

    static void answer(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        int status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = "request line too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "request header section too large";
        } else {
            status = 400;
            message = cause == null || cause.getMessage() == null ? "malformed HTTP request" : "malformed HTTP request: " + cause.getMessage();
        }
        request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(new JsonObject().put("error", message).encode())
                .onComplete(sent -> request.connection().close());
    }
}
