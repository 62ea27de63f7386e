package dev.modelgate.gateway.api;

import dev.modelgate.gateway.keys.ApiKey;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** The API key a request was authenticated with, kept on its routing context by {@link DataPlaneGuard}. */
public final class Callers {

    private static final String KEY = "modelgate.api-key";

    private Callers() {}

    static void set(RoutingContext ctx, ApiKey key) {
        ctx.put(KEY, key);
    }

    public static Optional<ApiKey> key(RoutingContext ctx) {
        return Optional.ofNullable(ctx.get(KEY));
    }

    /** The key's name for logs and rows; empty for an anonymous caller. */
    public static String keyName(RoutingContext ctx) {
        ApiKey key = ctx.get(KEY);
        return key == null ? "" : key.name();
    }
}
