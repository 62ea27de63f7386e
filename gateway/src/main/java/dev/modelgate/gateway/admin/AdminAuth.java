package dev.modelgate.gateway.admin;

import dev.modelgate.gateway.api.ErrorResponses;
import dev.modelgate.gateway.keys.JwtCredentials;
import dev.modelgate.gateway.keys.KeyRing;
import dev.modelgate.gateway.keys.KeySecrets;
import dev.modelgate.gateway.keys.Role;
import dev.modelgate.gateway.telemetry.AdminAuditEvent;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards {@code /admin/*}: the bearer credential is the configured {@code server.admin_token} (role
 * admin), an API key with a role, or (when {@code auth.jwt} is configured) a signed JWT with a role claim; the call then needs at least the role {@link AdminPermissions}
 * gives its route (403 otherwise). With neither a token nor any key holding a role the control plane
 * is closed (403), never open. Runs before the body is read, so that a caller without a credential
 * cannot make the gateway read and buffer anything. Every call, refused or not, is audited: a line on
 * the {@code modelgate.audit} logger and a row of {@code admin_audit}, with the caller's key name and
 * role (never the credential) and the status it was answered with.
 */
public final class AdminAuth implements Handler<RoutingContext> {

    private static final Logger AUDIT = LoggerFactory.getLogger("modelgate.audit");
    private static final String PREFIX = "Bearer ";
    /** How the configured token appears in the audit: it is no key and has no name of its own. */
    static final String TOKEN_NAME = "admin_token";

    private final byte[] token;
    private final KeyRing keys;
    private final Consumer<AdminAuditEvent> audit;
    private final String instanceId;
    private final Optional<JwtCredentials> jwt;

    public AdminAuth(String token, KeyRing keys, Optional<JwtCredentials> jwt, Consumer<AdminAuditEvent> audit, String instanceId) {
        this.token = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        this.keys = keys;
        this.jwt = jwt;
        this.audit = audit;
        this.instanceId = instanceId;
    }

    /** Only the configured token, without audit rows (tests of other parts of the listener). */
    public AdminAuth(String token) {
        this(token, new KeyRing(), Optional.empty(), event -> {}, "");
    }

    private record Caller(String name, Role role) {}

    @Override
    public void handle(RoutingContext ctx) {
        if (token.length == 0 && jwt.isEmpty() && keys.all().stream().noneMatch(key -> key.role().isPresent())) {
            refuse(ctx, null, 403, "the admin API is disabled: set server.admin_token or MODELGATE_ADMIN_TOKEN");
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.startsWith(PREFIX)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            refuse(ctx, null, 401, "missing bearer token");
            return;
        }
        String presented = header.substring(PREFIX.length()).trim();
        Caller caller = identify(presented);
        if (caller == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            refuse(ctx, null, 401, "invalid bearer token");
            return;
        }
        if (caller.role() == null) {
            refuse(ctx, caller, 403, "API key '" + caller.name() + "' has no admin role");
            return;
        }
        Role required = AdminPermissions.required(ctx.request().method(), ctx.request().path());
        if (!caller.role().includes(required)) {
            refuse(ctx, caller, 403, "role " + caller.role().wireName() + " may not " + ctx.request().method() + " "
                    + ctx.request().path() + ": it needs " + required.wireName());
            return;
        }
        ctx.addHeadersEndHandler(v -> record(ctx, caller, ctx.response().getStatusCode()));
        ctx.next();
    }

    /** The caller, with a null role for a valid key without one; null when the credential is unknown or expired. */
    private Caller identify(String presented) {
        // constant-time comparison: response timing must not reveal how much of the token matched
        if (token.length > 0 && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token)) {
            return new Caller(TOKEN_NAME, Role.ADMIN);
        }
        if (!presented.startsWith(KeySecrets.PREFIX) && jwt.isPresent()) {
            return jwt.get().verify(presented).map(identity -> new Caller(identity.name(), identity.role())).orElse(null);
        }
        KeyRing.Verification verification = keys.verify(presented, System.currentTimeMillis());
        if (verification.status() != KeyRing.Status.OK) {
            return null;
        }
        return new Caller(verification.key().name(), verification.key().role().orElse(null));
    }

    private void refuse(RoutingContext ctx, Caller caller, int status, String message) {
        record(ctx, caller, status);
        ErrorResponses.refuseUnread(ctx, status, message);
    }

    private void record(RoutingContext ctx, Caller caller, int status) {
        String name = caller == null ? "" : caller.name();
        String role = caller == null || caller.role() == null ? "" : caller.role().wireName();
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        AUDIT.info("admin call key={} role={} {} {} -> {}", name, role, method, path, status);
        audit.accept(new AdminAuditEvent(UUID.randomUUID().toString(), System.currentTimeMillis(), name, role, method, path, status,
                instanceId));
    }
}
