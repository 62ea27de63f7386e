package dev.modelgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.gateway.config.ServerTlsConfig;
import dev.modelgate.gateway.config.ServerTlsConfig.ClientAuthMode;
import dev.modelgate.inference.remote.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener's certificates: what is refused at start, what {@code client_auth: request} serves, how rotation behaves. */
class ServerTlsTest {

    @TempDir
    Path dir;
    private Vertx vertx;
    private TestCertificates ca;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        ca = TestCertificates.authority(dir, "listener");
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void filesThatAreNotACertificateAndItsKeyAreRefusedNamingTheKey() throws Exception {
        TestCertificates.Issued server = ca.server("server", 1);
        TestCertificates.Issued other = ca.server("other", 2);
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> load(config(empty, server.key(), ClientAuthMode.NONE)))
                .hasMessage("server.tls.cert_file: " + empty + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> load(config(garbage, server.key(), ClientAuthMode.NONE)))
                .hasMessageStartingWith("server.tls.cert_file: " + garbage + ": not a PEM certificate");
        assertThatThrownBy(() -> load(config(server.cert(), server.cert(), ClientAuthMode.NONE)))
                .hasMessageStartingWith("server.tls.key_file: " + server.cert() + ": not a PEM private key");
        assertThatThrownBy(() -> load(config(server.cert(), other.key(), ClientAuthMode.NONE)))
                .hasMessage("server.tls.key_file: " + other.key() + ": does not belong to the certificate of cert_file " + server.cert());
    }

    @Test
    void requestModeServesClientsWithoutACertificate() throws Exception {
        TestCertificates.Issued server = ca.server("server", 1);
        ServerTls tls = load(config(server.cert(), server.key(), ClientAuthMode.REQUEST));
        HttpServer listener = listen(tls);

        assertThat(servedSerial(listener)).isEqualTo(BigInteger.ONE);
    }

    @Test
    void aRotationIsServedOnceKeyAndCertificateFitAndNotBefore() throws Exception {
        TestCertificates.Issued server = ca.server("server", 1);
        ServerTls tls = load(config(server.cert(), server.key(), ClientAuthMode.NONE));
        HttpServer listener = listen(tls);
        tls.watch();

        // a new key alone does not fit the served certificate: the old pair stays in service
        TestCertificates.Issued next = ca.server("next", 2);
        Files.copy(next.key(), server.key(), StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(600);
        assertThat(servedSerial(listener)).isEqualTo(BigInteger.ONE);

        Files.copy(next.cert(), server.cert(), StandardCopyOption.REPLACE_EXISTING);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!servedSerial(listener).equals(BigInteger.TWO) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(servedSerial(listener)).isEqualTo(BigInteger.TWO);
        tls.close();
    }

    private ServerTlsConfig config(Path cert, Path key, ClientAuthMode mode) {
        return new ServerTlsConfig(cert, key, mode == ClientAuthMode.NONE ? Optional.empty() : Optional.of(ca.caFile()), mode,
                Duration.ofMillis(100));
    }

    private ServerTls load(ServerTlsConfig config) {
        return ServerTls.load(vertx, new PemServerCredentials(config, vertx));
    }

    private HttpServer listen(ServerTls tls) throws Exception {
        HttpServer server = vertx.createHttpServer(tls.apply(new HttpServerOptions().setHost("127.0.0.1").setPort(0)))
                .requestHandler(request -> request.response().end("ok"));
        server.listen().await(10, TimeUnit.SECONDS);
        tls.register(server::updateSSLOptions);
        return server;
    }

    /** A new client each time (no pooled connection): the serial of the certificate a new handshake gets. */
    private BigInteger servedSerial(HttpServer server) throws Exception {
        HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.caFile().toString())));
        try {
            HttpClientResponse response = client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                            .setPort(server.actualPort()).setURI("/"))
                    .compose(request -> request.send())
                    .await(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            return ((X509Certificate) response.request().connection().peerCertificates().get(0)).getSerialNumber();
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
        }
    }
}
