package dev.modelgate.gateway.admin;

import dev.modelgate.gateway.api.ErrorResponses;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards {@code /admin/*} with a bearer token. With no token configured the control plane is closed
 * (403), never open: an operator must choose a secret before anything can change experiments. Runs
 * before the body is read, so that a caller without the token cannot make the gateway read (up to
 * {@code max_body_bytes}) and buffer anything.
 */
public final class AdminAuth implements Handler<RoutingContext> {

    private static final String PREFIX = "Bearer ";

    private final byte[] token;

    public AdminAuth(String token) {
        this.token = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (token.length == 0) {
            ErrorResponses.refuseUnread(ctx, 403, "the admin API is disabled: set server.admin_token or MODELGATE_ADMIN_TOKEN");
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.startsWith(PREFIX)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            ErrorResponses.refuseUnread(ctx, 401, "missing bearer token");
            return;
        }
        byte[] presented = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        // constant-time comparison: response timing must not reveal how much of the token matched
        if (!MessageDigest.isEqual(presented, token)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            ErrorResponses.refuseUnread(ctx, 401, "invalid bearer token");
            return;
        }
        ctx.next();
    }
}
