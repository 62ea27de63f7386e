package dev.modelgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.config.ConnectionLimits;
import dev.modelgate.gateway.config.ServerConfig;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listener's edge in-process, over raw sockets so that requests can be as malformed, slow or
 * numerous as a hostile client makes them: every answer is JSON with {@code error}, the admin token is
 * checked before a body is read, a form-encoded body is the JSON it holds, and slow or surplus
 * connections are closed.
 */
class EdgeRequestsTest {

    private static final String TOKEN = "edge-token";
    private static final ConnectionLimits TIGHT = new ConnectionLimits(Duration.ofSeconds(10), Duration.ofMillis(500), 3);

    private final AtomicInteger adminBodiesRead = new AtomicInteger();
    private TestApi api;

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    private void start(ConnectionLimits limits) throws Exception {
        AdminRoutes echo = router -> router.put("/admin/echo").handler(ctx -> {
            adminBodiesRead.incrementAndGet();
            ctx.response().end(ctx.body().buffer());
        });
        api = new TestApi(new ServerConfig("127.0.0.1", 0, 1 << 20, 1 << 20, Duration.ofSeconds(2), TOKEN, limits), List.of(echo),
                ctx -> ctx.response().putHeader("Content-Type", "application/json").end(ctx.body().buffer()));
    }

    @Test
    void anAdminCallWithoutTheTokenIsRefusedBeforeItsBodyIsSent() throws Exception {
        start(ConnectionLimits.DEFAULTS);
        // the headers announce a megabyte; only the first bytes follow, and the answer must not wait for the rest
        long start = System.nanoTime();
        String answer = exchange("PUT /admin/echo HTTP/1.1\r\nHost: gw\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(100),
                Duration.ofSeconds(5));

        assertThat(answer).startsWith("HTTP/1.1 401");
        assertThat(errorOf(answer)).isEqualTo("missing bearer token");
        assertThat(adminBodiesRead).hasValue(0);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closed about a second after the answer, the rest unread")
                .isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aFormEncodedBodyIsTheJsonItHolds() throws Exception {
        start(ConnectionLimits.DEFAULTS);
        // curl -d sends application/x-www-form-urlencoded; a form decoder refuses this over 1 KiB, and the '%'
        String json = "[{\"request_id\": \"" + "r%".repeat(600) + "\", \"metric\": \"converted\", \"value\": 1}]";
        String answer = exchange("POST /v1/feedback HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + json.length() + "\r\n\r\n" + json,
                Duration.ofSeconds(5));

        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(bodyOf(answer)).isEqualTo(json);
    }

    @Test
    void requestsNettyRefusesBeforeAnyRouteAreAnsweredInJson() throws Exception {
        start(ConnectionLimits.DEFAULTS);
        record Case(String kind, String request, int status) {}
        String post = "POST /v2/models/fraud-score/infer HTTP/1.1\r\nHost: gw\r\n";
        List<Case> cases = List.of(
                new Case("request line over 4 KiB", "GET /v2/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: gw\r\n\r\n", 414),
                new Case("header section over 8 KiB", "GET /v2 HTTP/1.1\r\nHost: gw\r\nX-Big: " + "b".repeat(9_000) + "\r\n\r\n", 431),
                new Case("space in a header name", "GET /v2 HTTP/1.1\r\nHost: gw\r\nBad Header: x\r\n\r\n", 400),
                new Case("control character in a header name", "GET /v2 HTTP/1.1\r\nHost: gw\r\nX-\u0001: x\r\n\r\n", 400),
                new Case("duplicate Content-Length", post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400),
                new Case("not HTTP", "HELLO THERE\r\n\r\n", 400),
                new Case("unsupported HTTP version", "GET /v2 HTTP/9.9\r\nHost: gw\r\n\r\n", 400),
                new Case("bad chunk size", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400),
                new Case("an expectation we cannot meet", post + "Expect: the-unexpected\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", 417));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            String answer = exchange(c.request(), Duration.ofSeconds(5));
            // Netty answers a request it could not read as HTTP/1.0
            if (!answer.matches("(?s)HTTP/1\\.[01] " + c.status() + " .*")
                    || !answer.toLowerCase(Locale.ROOT).contains("content-type: application/json") || errorOf(answer).isBlank()) {
                failures.add(c.kind() + " → " + answer.lines().findFirst().orElse("(nothing)") + " " + bodyOf(answer));
            }
        }
        assertThat(failures).as("answers that are not the expected status with a JSON error").isEmpty();
    }

    @Test
    void aClientTricklingItsHeadersIsAnswered408AtTheReadTimeoutWhileOthersAreServed() throws Exception {
        start(TIGHT);
        long start = System.nanoTime();
        try (Socket slow = new Socket("127.0.0.1", api.port)) {
            slow.setSoTimeout(100);
            OutputStream out = slow.getOutputStream();
            out.write("GET /v2/health/live HTTP/1.1\r\nHost: gw\r\n".getBytes(StandardCharsets.US_ASCII));
            int first = -2;
            for (int i = 0; i < 40 && first == -2; i++) {
                assertThat(exchange("GET /v2/health/live HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n", Duration.ofSeconds(2)))
                        .as("another client meanwhile").startsWith("HTTP/1.1 200");
                first = trickle(slow, out);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered about when the 500 ms read timeout ran out, well before 40 trickled bytes")
                    .isLessThan(Duration.ofSeconds(4));
            slow.setSoTimeout(2_000);
            String answer = (char) first + new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(errorOf(answer)).isEqualTo("request not received in time, closing");
        }
    }

    @Test
    void aConnectionOverTheCapIsClosedAtOnceAndTheNextOneAfterAReleaseIsServed() throws Exception {
        start(TIGHT);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(new Socket("127.0.0.1", api.port));
            }
            awaitOpenConnections(3);
            try (Socket surplus = new Socket("127.0.0.1", api.port)) {
                surplus.setSoTimeout(2_000);
                assertThat(surplus.getInputStream().read()).as("the fourth connection is closed without an answer").isEqualTo(-1);
            }
            held.remove(0).close();
            awaitOpenConnections(2);
            assertThat(exchange("GET /v2/health/live HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n", Duration.ofSeconds(2)))
                    .startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private void awaitOpenConnections(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (api.metrics.registry().get("modelgate.http.connections.open").gauge().value() != expected
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** One more header byte, then a short read: the first byte the server sent, -1 if it closed, -2 if it is still silent. */
    private static int trickle(Socket socket, OutputStream out) throws IOException {
        try {
            out.write('X');
            out.flush();
            return socket.getInputStream().read();
        } catch (SocketTimeoutException silent) {
            return -2;
        }
    }

    /** Writes {@code request} as it is and reads until the server closes the connection. */
    private String exchange(String request, Duration wait) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            socket.setSoTimeout(Math.toIntExact(wait.toMillis()));
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException notClosed) {
                throw new AssertionError("no complete answer within " + wait + "; got: " + answer);
            } catch (IOException reset) {
                // the server may reset after answering a request whose body it did not read: keep what came
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static String bodyOf(String answer) {
        int start = answer.indexOf("\r\n\r\n");
        return start < 0 ? "" : answer.substring(start + 4);
    }

    private static String errorOf(String answer) {
        try {
            return new JsonObject(bodyOf(answer)).getString("error", "");
        } catch (RuntimeException notJson) {
            return "";
        }
    }
}
