package dev.modelgate.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the API's OpenAPI 3.1 document, kept in the repository as
 * {@code src/main/resources/openapi.json}. Served without authentication: a client generator needs it
 * before it holds any token, and it describes the admin API without giving access to it.
 */
public final class OpenApiDocument {

    static final String RESOURCE = "/openapi.json";

    private OpenApiDocument() {}

    /** Reads the document once, at router construction; a jar without it is a build error, not a 404. */
    public static Handler<RoutingContext> handler() {
        Buffer document = Buffer.buffer(read());
        return ctx -> ctx.response().putHeader("Content-Type", "application/json").end(document);
    }

    static byte[] read() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
