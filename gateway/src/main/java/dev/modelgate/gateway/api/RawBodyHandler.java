package dev.modelgate.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Reads a request body as the bytes the client sent, whatever its {@code Content-Type} says, up to
 * {@code server.max_body_bytes} (413 beyond, at once when {@code Content-Length} announces it). The API's
 * bodies are JSON (or CSV for a reference upload): Vert.x's BodyHandler would instead feed a body sent as
 * {@code application/x-www-form-urlencoded} (curl's default for {@code -d}) or multipart through Netty's
 * form decoder, which refuses a JSON body over 1 KiB or one holding a {@code %}, and drops a multipart
 * body. The body is handed to the routing context as BodyHandler would hand it (an internal Vert.x API),
 * so handlers read it with {@code ctx.body()}.
 */
final class RawBodyHandler implements Handler<RoutingContext> {

    private static final int MAX_PREALLOCATED_BYTES = 64 * 1024;

    private final long limit;

    RawBodyHandler(long limit) {
        this.limit = limit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        RoutingContextInternal context = (RoutingContextInternal) ctx;
        if (context.seenHandler(RoutingContextInternal.BODY_HANDLER)) {
            ctx.next();
            return;
        }
        context.visitHandler(RoutingContextInternal.BODY_HANDLER);
        HttpServerRequest request = ctx.request();
        long announced = contentLength(request);
        if (announced < 0 && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            ctx.next(); // a request without a body, as BodyHandler would leave it: ctx.body() holds none
            return;
        }
        if (announced > limit) {
            ctx.fail(413);
            return;
        }
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                ctx.fail(417);
                return;
            }
            if (request.version() != HttpVersion.HTTP_1_0) {
                ctx.response().writeContinue();
            }
        }
        Buffer body = Buffer.buffer((int) Math.min(Math.max(announced, 0), MAX_PREALLOCATED_BYTES));
        if (request.isEnded()) {
            context.setBody(body);
            ctx.next();
            return;
        }
        new Reading(ctx, body).start();
    }

    /** One request's body as it arrives; stops at the first failure. */
    private final class Reading {

        private final RoutingContext ctx;
        private final Buffer body;
        private boolean failed;

        Reading(RoutingContext ctx, Buffer body) {
            this.ctx = ctx;
            this.body = body;
        }

        void start() {
            ctx.request()
                    .exceptionHandler(this::broken)
                    .handler(this::chunk)
                    .endHandler(ended -> {
                        if (!failed) {
                            ((RoutingContextInternal) ctx).setBody(body);
                            ctx.next();
                        }
                    })
                    .resume();
        }

        private void chunk(Buffer chunk) {
            if (failed) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                fail(413, null);
                return;
            }
            body.appendBuffer(chunk);
        }

        /** A body Netty cannot decode (a malformed chunk) or a client that went away: the client's doing, a 400. */
        private void broken(Throwable cause) {
            fail(400, cause);
        }

        private void fail(int status, Throwable cause) {
            if (!failed) {
                failed = true;
                if (cause == null) {
                    ctx.fail(status);
                } else {
                    ctx.fail(status, cause);
                }
            }
        }
    }

    private static long contentLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException notANumber) {
            return -1; // Netty has refused such a request already
        }
    }
}
