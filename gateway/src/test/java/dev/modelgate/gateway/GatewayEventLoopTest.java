package dev.modelgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.modelgate.gateway.config.ConfigLoader;
import dev.modelgate.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The whole gateway in-process under Vert.x's blocked-thread checker set far tighter than its default
 * (200 ms instead of 2 s): model inference, event logging and error handling must never run on an
 * event loop. ClickHouse here is a port that accepts connections and never answers, with a 500 ms
 * insert timeout, so an insert made on an event loop would block it past the limit; meanwhile the
 * writer spools. The limit stays well above scheduling noise on a busy 2-core machine. A warm-up round
 * runs first: the JVM's one-off class loading and initialisation is not the gateway's doing.
 */
class GatewayEventLoopTest {

    private static final String GOOD = "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],"
            + "\"data\":[120.5,400,2,75,12,0,14,0.3,1,0,200,1.1]}]}";
    private static final String BAD = "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP64\",\"shape\":[1,12],"
            + "\"data\":[120.5,400,2,75,12,0,14,0.3,1,0,200,1.1]}]}";

    @TempDir
    Path dir;

    private Vertx vertx;
    private Gateway gateway;
    private final ListAppender<ILoggingEvent> blockedThreadWarnings = new ListAppender<>();

    @BeforeEach
    void captureBlockedThreadWarnings() {
        Logger checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
        blockedThreadWarnings.start();
        checker.addAppender(blockedThreadWarnings);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop().await();
        }
        if (vertx != null) {
            vertx.close().await();
        }
    }

    private GatewayConfig config(int port, int deadClickHousePort) throws IOException {
        Path model = Path.of("../demo/fraud-score.onnx").toAbsolutePath().normalize();
        Files.writeString(dir.resolve("gateway.yaml"), """
                server: {host: 127.0.0.1, port: %d}
                models:
                  fraud-score:
                    variants:
                      v1:
                        backend: {type: onnx, path: "%s", instances: 2, device: cpu}
                clickhouse: {url: "http://127.0.0.1:%d"}
                telemetry: {flush_interval_ms: 50, insert_timeout_ms: 500, spool_dir: "%s"}
                """.formatted(port, model, deadClickHousePort, dir.resolve("spool")));
        return new ConfigLoader(Map.of()).load(dir.resolve("gateway.yaml"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<Future<HttpResponse<Buffer>>> send(WebClient client, int n) throws Exception {
        List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(client.post("/v2/models/fraud-score/infer").sendBuffer(Buffer.buffer(i % 5 == 0 ? BAD : GOOD)));
        }
        Future.all(calls).await(60, TimeUnit.SECONDS);
        return calls;
    }

    @Test
    void servingLoggingAndRejectingNeverBlockAnEventLoop() throws Exception {
        vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(200).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
        int port = freePort();
        try (ServerSocket silentClickHouse = new ServerSocket(0)) {
            gateway = Gateway.start(vertx, config(port, silentClickHouse.getLocalPort())).await(60, TimeUnit.SECONDS);
            exercise(port);
        }
    }

    private void exercise(int port) throws Exception {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(port));
        send(client, 100);
        blockedThreadWarnings.list.clear();

        List<Future<HttpResponse<Buffer>>> calls = send(client, 600);
        long ok = calls.stream().filter(c -> c.result().statusCode() == 200).count();
        long rejected = calls.stream().filter(c -> c.result().statusCode() == 400).count();
        assertThat(ok).isEqualTo(480);
        assertThat(rejected).isEqualTo(120);
        assertThat(client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString())
                .contains("modelgate_events_spooled_total");

        assertThat(blockedThreadWarnings.list)
                .as("Vert.x blocked-thread warnings while serving")
                .extracting(ILoggingEvent::getFormattedMessage)
                .isEmpty();
    }
}
