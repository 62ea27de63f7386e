package dev.modelgate.gateway.console;

import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.api.ErrorResponses;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The web console at {@code /ui/}: static files only, answered from memory. The pages hold no
 * credential and need none; everything they show comes from the admin API, called by the browser with
 * the key the user logs in with, so the console has no access of its own and no business logic here.
 */
public final class ConsoleRoutes implements AdminRoutes {

    static final String PREFIX = "/ui/";
    /**
     * Only the gateway's own origin: every script, style and chart is bundled, the pages call nothing
     * else, and no other site may frame them.
     */
    static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private final ConsoleAssets assets;

    public ConsoleRoutes(ConsoleAssets assets) {
        this.assets = assets;
    }

    @Override
    public void mount(Router router) {
        // one handler for both: Vert.x matches "/ui" against "/ui/" too (and "/ui/*" against "/ui"), so the
        // redirect is decided on the exact path, not by route order
        router.get(PREFIX + "*").handler(this::serve);
        router.get("/ui").handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        if (!ctx.request().path().startsWith(PREFIX)) {
            ctx.response().setStatusCode(301).putHeader("Location", PREFIX).end();
            return;
        }
        String path = ctx.request().path().substring(PREFIX.length());
        String name = path.isEmpty() ? "index.html" : path;
        ConsoleAssets.Asset asset = assets.find(name).orElse(null);
        if (asset == null) {
            ErrorResponses.send(ctx, 404, "no console file '" + name + "'");
            return;
        }
        var response = ctx.response()
                .putHeader("Content-Type", asset.contentType())
                .putHeader("ETag", asset.etag())
                // revalidated on every load (a 304 costs nothing), so a new gateway's files are never mixed with old ones
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Content-Security-Policy", POLICY);
        if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.end(Buffer.buffer(asset.bytes()));
    }
}
