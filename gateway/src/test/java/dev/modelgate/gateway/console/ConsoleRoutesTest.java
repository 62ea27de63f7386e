package dev.modelgate.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The console's files as a browser gets them: every module the page imports is there, with its type and cache headers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRoutesTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private Vertx vertx;
    private URI base;

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new ConsoleRoutes(ConsoleAssets.load()).mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterAll
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndEveryModuleItImportsAreServedFromTheJarsResources() throws Exception {
        HttpResponse<String> page = get("/ui/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'self'");
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\">");

        // follow the imports from app.js: a missing or misnamed module would leave the console blank
        Pattern imports = Pattern.compile("from '(\\.{1,2}/[^']+)'");
        java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>(java.util.List.of("js/app.js"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (!queue.isEmpty()) {
            String file = queue.poll();
            if (!seen.add(file)) {
                continue;
            }
            HttpResponse<String> module = get("/ui/" + file);
            assertThat(module.statusCode()).as(file).isEqualTo(200);
            assertThat(module.headers().firstValue("Content-Type")).as(file).hasValue("text/javascript; charset=utf-8");
            Matcher matcher = imports.matcher(module.body());
            while (matcher.find()) {
                queue.add(URI.create("http://x/ui/" + file).resolve(matcher.group(1)).getPath().substring("/ui/".length()));
            }
        }
        assertThat(seen).contains("js/experiments.js", "js/results.js", "js/drift.js", "js/backends.js", "vendor/uplot/uPlot.esm.js");
        assertThat(get("/ui/vendor/uplot/LICENSE.txt").body()).contains("MIT");
        assertThat(get("/ui/css/console.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    }

    @Test
    void anUnchangedFileIsNotSentAgainAndUnknownPathsAre404() throws Exception {
        HttpResponse<String> first = get("/ui/js/app.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
        HttpResponse<String> again = get("/ui/js/app.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        assertThat(get("/ui/js/nope.js").statusCode()).isEqualTo(404);
        assertThat(get("/ui/../openapi.json").statusCode()).isIn(400, 404);
        HttpResponse<String> bare = get("/ui");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValue("/ui/");
    }
}
