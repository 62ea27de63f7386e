package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.inference.remote.StubServer;
import dev.modelgate.inference.remote.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A KServe model server that speaks only mutual TLS: the variant whose {@code backend.tls} names the
 * server's CA and the gateway's client certificate serves; the variant that trusts the server but has no
 * client certificate is refused by it and falls back, so the caller still gets an answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteBackendTlsE2ETest {

    private final ClickHouse clickHouse = new ClickHouse();
    private Vertx vertx;
    private StubServer triton;
    private DemoGateway gateway;

    @BeforeAll
    void start() throws Exception {
        Path dir = Files.createTempDirectory("modelgate-e2e-remote-tls");
        TestCertificates serverCa = TestCertificates.authority(dir, "model-servers");
        TestCertificates gatewayCa = TestCertificates.authority(dir, "gateways");
        TestCertificates.Issued gatewayCert = gatewayCa.client("gateway", 21);
        vertx = Vertx.vertx();
        triton = StubServer.startTls(vertx, serverCa.server("triton", 20), gatewayCa.caFile())
                .route(HttpMethod.GET, "/v2/models/fraud-remote", StubServer.Reply.ok(FraudRemote.METADATA))
                .route(HttpMethod.GET, "/v2/models/fraud-remote/ready", StubServer.Reply.ok("{}"))
                .route(HttpMethod.POST, "/v2/models/fraud-remote/infer", StubServer.Reply.ok(FraudRemote.ANSWER));
        gateway = DemoGateway.start("e2e_remote_tls", clickHouse, workDir -> {
            Path config = workDir.resolve("remote-tls.yaml");
            Files.writeString(config, """
                    models:
                      mutual:
                        variants:
                          remote:
                            backend: {type: kserve, url: "%1$s", model: fraud-remote,
                                      tls: {ca_file: "%2$s", cert_file: "%3$s", key_file: "%4$s"}}
                      one-way:
                        default_variant: remote
                        fallback: [local]
                        variants:
                          remote:
                            backend: {type: kserve, url: "%1$s", model: fraud-remote, tls: {ca_file: "%2$s"}}
                          local: {backend: {type: onnx, path: "%5$s", device: cpu}}
                    telemetry: {flush_interval_ms: 200, spool_dir: "%6$s"}
                    """.formatted(triton.baseUri(), serverCa.caFile(), gatewayCert.cert(), gatewayCert.key(),
                    GatewayProcess.REPO.resolve("demo/fraud-score.onnx"), workDir.resolve("spool")));
            return config;
        });
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theVariantWithAClientCertificateIsServedByTheMutualTlsServer() throws Exception {
        HttpResponse<String> answer = gateway.api.post("/v2/models/mutual/infer", FraudRemote.ONE_ROW);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Variant")).contains("remote");
        assertThat(answer.body()).contains("0.25");
        assertThat(triton.baseUri()).startsWith("https://");
        assertThat(triton.received("/v2/models/fraud-remote/infer")).hasSize(1);
    }

    @Test
    void theVariantWithoutOneIsRefusedAndFallsBack() throws Exception {
        HttpResponse<String> answer = gateway.api.post("/v2/models/one-way/infer", FraudRemote.ONE_ROW);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Variant")).contains("local");
    }
}
