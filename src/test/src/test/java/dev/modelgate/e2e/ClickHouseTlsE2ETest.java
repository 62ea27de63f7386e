package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.inference.remote.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway logging to ClickHouse over HTTPS (a private ClickHouse 18.16 with an {@code https_port} and a
 * certificate of the test's CA) as a user whose password the gateway reads from a secret file.
 */
class ClickHouseTlsE2ETest {

    private static final String PASSWORD = "clickhouse-password-" + UUID.randomUUID();
    private static final Path DIR = tempDir();
    private static final TestCertificates CA = TestCertificates.authority(DIR, "clickhouse");
    private static final TestCertificates.Issued SERVER = CA.server("clickhouse", 8001);
    private static final int HTTPS_PORT = GatewayProcess.freePort();

    @RegisterExtension
    static final PrivateClickHouse CLICKHOUSE = new PrivateClickHouse("modelgate-e2e-ch-tls")
            .configure("config.d", "https.xml", """
                    <?xml version="1.0"?>
                    <yandex>
                      <https_port>%d</https_port>
                      <openSSL><server><certificateFile>%s</certificateFile><privateKeyFile>%s</privateKeyFile>
                        <verificationMode>none</verificationMode><loadDefaultCAFile>false</loadDefaultCAFile>
                        <cacheSessions>true</cacheSessions><disableProtocols>sslv2,sslv3</disableProtocols>
                        <preferServerCiphers>true</preferServerCiphers></server></openSSL>
                    </yandex>
                    """.formatted(HTTPS_PORT, SERVER.cert(), SERVER.key()))
            .configure("users.d", "gateway.xml", """
                    <?xml version="1.0"?>
                    <yandex><users><gateway><password>%s</password><networks><ip>127.0.0.1</ip></networks>
                      <profile>default</profile><quota>default</quota></gateway></users></yandex>
                    """.formatted(PASSWORD));

    @Test
    void eventsAreWrittenOverHttpsWithAPasswordFromASecretFile() throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_ch_tls");
        Files.writeString(DIR.resolve("clickhouse-password"), PASSWORD + "\n");
        Path config = TestConfigs.demo(Files.createDirectories(DIR.resolve(database)), 200, "");
        Files.writeString(config, Files.readString(config) + """
                clickhouse:
                  user: gateway
                  password_file: "%s"
                  tls: {ca_file: "%s"}
                """.formatted(DIR.resolve("clickhouse-password"), CA.caFile()));
        // the URL as an environment override, as every e2e gateway gets its ClickHouse
        try (GatewayProcess gateway = GatewayProcess.start(config, Map.of("MODELGATE_CLICKHOUSE_URL", "https://127.0.0.1:" + HTTPS_PORT,
                "MODELGATE_CLICKHOUSE_DATABASE", database), DIR)) {
            gateway.declareSecret(PASSWORD);
            InferApi api = new InferApi(gateway.base);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> answer = api.post("/v2/models/fraud-score/infer",
                        InferApi.fraudRequest(new float[] {120.5f, 400, 2, 75, 12, 0, 14, 0.3f, 1, 0, 200, 1.1f}, "u-" + i));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }

            assertThat(CLICKHOUSE.client().awaitCount(database + ".predictions", n -> n >= 5, Duration.ofSeconds(15))).isEqualTo(5);
            assertThat(gateway.log()).doesNotContain("insert failed");
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("modelgate-e2e-ch-tls-certs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
