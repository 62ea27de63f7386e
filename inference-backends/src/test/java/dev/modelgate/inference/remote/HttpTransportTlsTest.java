package dev.modelgate.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.remote.StubServer.Reply;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model server behind https, and behind mutual TLS: whom the gateway trusts, and what it presents. */
class HttpTransportTlsTest {

    private static final String PATH = "/v2/models/m";

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static TestCertificates ca;
    private static TestCertificates.Issued serverCert;

    @BeforeAll
    static void certificates() {
        vertx = Vertx.vertx();
        ca = TestCertificates.authority(dir, "backend");
        serverCert = ca.server("model-server", 7);
    }

    @AfterAll
    static void stopVertx() {
        Await.result(vertx.close());
    }

    @Test
    void callsAnHttpsServerSignedByTheConfiguredCa() {
        try (StubServer server = StubServer.startTls(vertx, serverCert, null).route(HttpMethod.GET, PATH, Reply.ok("{\"name\":\"m\"}"));
             HttpTransport transport = HttpTransport.create(vertx, endpoint(server, caOnly()))) {

            HttpReply reply = Await.result(transport.get(PATH));

            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.body().toString()).contains("\"m\"");
        }
    }

    @Test
    void refusesAServerItsCasDidNotSign() {
        try (StubServer server = StubServer.startTls(vertx, serverCert, null).route(HttpMethod.GET, PATH, Reply.ok("{}"));
             HttpTransport transport = HttpTransport.create(vertx, endpoint(server, RemoteTls.DEFAULTS))) { // the JVM's CAs only

            Throwable failure = Await.failure(transport.get(PATH));

            assertThat(failure).isInstanceOf(InferenceException.class);
            assertThat(((InferenceException) failure).kind()).isEqualTo(InferenceException.Kind.BACKEND_FAILURE);
            assertThat(server.received(PATH)).isEmpty();
        }
    }

    @Test
    void presentsItsClientCertificateToAServerThatRequiresOne() {
        TestCertificates clients = TestCertificates.authority(dir, "gateways");
        TestCertificates.Issued gateway = clients.client("gateway-1", 11);
        RemoteTls withCertificate = new RemoteTls(Optional.of(ca.caFile()), Optional.of(gateway.cert()), Optional.of(gateway.key()));
        try (StubServer server = StubServer.startTls(vertx, serverCert, clients.caFile()).route(HttpMethod.GET, PATH, Reply.ok("{}"));
             HttpTransport anonymous = HttpTransport.create(vertx, endpoint(server, caOnly()));
             HttpTransport identified = HttpTransport.create(vertx, endpoint(server, withCertificate))) {

            assertThat(Await.failure(anonymous.get(PATH))).isInstanceOf(InferenceException.class);
            assertThat(Await.result(identified.get(PATH)).statusCode()).isEqualTo(200);
            assertThat(server.received(PATH)).hasSize(1);
        }
    }

    private static RemoteTls caOnly() {
        return new RemoteTls(Optional.of(ca.caFile()), Optional.empty(), Optional.empty());
    }

    private static RemoteEndpoint endpoint(StubServer server, RemoteTls tls) {
        return new RemoteEndpoint(URI.create(server.baseUri()), 4, Duration.ofSeconds(2), Duration.ofSeconds(5), tls);
    }
}
