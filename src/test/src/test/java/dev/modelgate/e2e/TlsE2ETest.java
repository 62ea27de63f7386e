package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.inference.oip.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelInferResponse;
import dev.modelgate.inference.remote.TestCertificates;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The listener over mutual TLS, with certificates made for the test by openssl: a client without a
 * certificate, or with one from another CA, is refused during the handshake; a client with a certificate
 * of the configured CA is served; a certificate rotated on disk is served to new connections without a
 * restart; bad files stop the start with a message naming the key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsE2ETest {

    private static final String REQUEST = InferApi.fraudRequest(new float[] {120.5f, 400, 2, 75, 12, 0, 14, 0.3f, 1, 0, 200, 1.1f}, "u-1");

    private final String database = ClickHouse.uniqueDatabase("e2e_tls");
    private final int grpcPort = GatewayProcess.freePort();
    private Path dir;
    private TestCertificates ca;
    private TestCertificates.Issued serverCert;
    private HttpClient trustedClient;
    private GatewayProcess gateway;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("modelgate-e2e-tls");
        ca = TestCertificates.authority(dir, "clients-and-gateway");
        serverCert = ca.server("gateway", 1001);
        trustedClient = TlsClients.client(ca.caFile(), ca.pkcs12(ca.client("app", 2001)));
        gateway = GatewayProcess.start(config(serverCert.key()), env(), dir, "https", trustedClient);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        new ClickHouse().dropDatabase(database);
    }

    @Test
    void aClientWithACertificateOfTheConfiguredCaIsServed() throws Exception {
        HttpResponse<String> answer = trustedClient.send(infer(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("fraud_probability");
        assertThat(answer.uri().getScheme()).isEqualTo("https");
    }

    @Test
    void clientsWithoutACertificateOfTheCaAreRefusedInTheHandshake() throws Exception {
        HttpClient anonymous = TlsClients.client(ca.caFile(), null);
        TestCertificates rogueCa = TestCertificates.authority(dir, "rogue");
        HttpClient rogue = TlsClients.client(ca.caFile(), rogueCa.pkcs12(rogueCa.client("rogue-app", 3001)));
        HttpClient plain = HttpClient.newHttpClient();

        assertThatThrownBy(() -> anonymous.send(infer(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> rogue.send(infer(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        URI http = URI.create("http://127.0.0.1:" + gateway.port + "/v2/health/live");
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void aCertificateRotatedOnDiskIsServedWithoutARestart() throws Exception {
        long pid = gateway.pid();
        assertThat(servedSerial()).isEqualTo(BigInteger.valueOf(1001));

        ca.rotate(serverCert, 1002);

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        BigInteger served = servedSerial();
        while (!served.equals(BigInteger.valueOf(1002)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            served = servedSerial();
        }
        assertThat(served).isEqualTo(BigInteger.valueOf(1002));
        assertThat(gateway.pid()).isEqualTo(pid);
        assertThat(gateway.isAlive()).isTrue();
        // every listener (one per event loop) serves the new certificate, not just the one that was asked
        for (int i = 0; i < 8; i++) {
            assertThat(servedSerial()).isEqualTo(BigInteger.valueOf(1002));
        }
        assertThat(gateway.log()).contains("TLS certificates reloaded");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateStopsTheStart() throws Exception {
        TestCertificates.Issued other = ca.server("other", 4001);
        Path config = config(other.key());

        assertThatThrownBy(() -> GatewayProcess.start(config, env(), dir, "https", trustedClient))
                .hasMessageContaining("gateway exited with 2")
                .hasMessageContaining("invalid configuration: server.tls.key_file: " + other.key())
                .hasMessageContaining("does not belong to the certificate");
    }

    /** A new connection each time: a pooled one would show the certificate of its own handshake. */
    private BigInteger servedSerial() throws Exception {
        HttpClient fresh = TlsClients.client(ca.caFile(), ca.pkcs12(ca.client("probe", 2002)));
        HttpResponse<String> answer = fresh.send(HttpRequest.newBuilder(gateway.base.resolve("/v2/health/live"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return TlsClients.serverSerial(answer);
    }

    private HttpRequest infer() {
        return HttpRequest.newBuilder(gateway.base.resolve("/v2/models/fraud-score/infer"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build();
    }

    private Path config(Path keyFile) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("config-" + keyFile.getFileName()));
        return TestConfigs.demo(sub, 200, "", 65_536, """
                tls:
                  cert_file: "%s"
                  key_file: "%s"
                  client_ca_file: "%s"
                  client_auth: required
                  reload_interval_ms: 200
                """.formatted(serverCert.cert(), keyFile, ca.caFile()));
    }

    private Map<String, String> env() {
        return Map.of("MODELGATE_CLICKHOUSE_URL", ClickHouse.URL, "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_GRPC_PORT", Integer.toString(grpcPort));
    }

    /** grpc-java over TLS (HTTP/2 by ALPN), trusting {@code ca}, presenting {@code client} when there is one. */
    private ManagedChannel grpcChannel(TestCertificates.Issued client) throws IOException {
        var tls = GrpcSslContexts.forClient().trustManager(ca.caFile().toFile());
        if (client != null) {
            tls.keyManager(client.cert().toFile(), client.key().toFile());
        }
        return NettyChannelBuilder.forAddress("localhost", grpcPort).sslContext(tls.build()).build();
    }

    @Test
    void theGrpcListenerServesTheSameCertificatesAndRefusesAClientWithoutOne() throws Exception {
        ModelInferRequest request = GrpcClients.typed(new float[] {120.5f, 400, 2, 75, 12, 0, 14, 0.3f, 1, 0, 200, 1.1f}, "u-1");
        ManagedChannel trusted = grpcChannel(ca.client("grpc-app", 2003));
        ManagedChannel anonymous = grpcChannel(null);
        try {
            ModelInferResponse answer = GRPCInferenceServiceGrpc.newBlockingStub(trusted)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request);
            assertThat(answer.getOutputs(0).getName()).isEqualTo("fraud_probability");

            assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(anonymous)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            trusted.shutdownNow();
            anonymous.shutdownNow();
        }
    }
}
