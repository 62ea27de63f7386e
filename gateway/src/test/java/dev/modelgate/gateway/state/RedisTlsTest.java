package dev.modelgate.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.gateway.config.AuthConfig;
import dev.modelgate.gateway.config.ClientTlsConfig;
import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.ratelimit.Decision;
import dev.modelgate.gateway.ratelimit.RateLimiter;
import dev.modelgate.inference.remote.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's Redis connections over {@code rediss://} to a private redis-server (Debian's redis 7 is
 * built with TLS) that requires a password and a client certificate signed by the test's CA.
 */
class RedisTlsTest {

    private static final String PASSWORD = "redis-test-password";

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static TestCertificates.Issued gatewayCert;
    private static Process redis;
    private static String url;

    @BeforeAll
    static void startRedis() throws Exception {
        ca = TestCertificates.authority(dir, "redis");
        TestCertificates.Issued serverCert = ca.server("redis-server", 5001);
        gatewayCert = ca.client("gateway", 5002);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", serverCert.cert().toString(), "--tls-key-file", serverCert.key().toString(),
                "--tls-ca-cert-file", ca.caFile().toString(), "--tls-auth-clients", "yes", "--requirepass", PASSWORD,
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        url = "rediss://127.0.0.1:" + port;
        awaitListening(port);
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void talksToRedisOverMutualTlsWithAPassword() throws Exception {
        try (RedisConnections connections = new RedisConnections(url, PASSWORD, withClientCertificate(), Duration.ofSeconds(5))) {
            connections.async().set("tls-test", "ok").get(5, TimeUnit.SECONDS);
            assertThat(connections.async().get("tls-test").get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        }
    }

    @Test
    void isRefusedWithoutItsClientCertificateOrWithAWrongPassword() {
        ClientTlsConfig caOnly = new ClientTlsConfig(Optional.of(ca.caFile()), Optional.empty(), Optional.empty());
        try (RedisConnections noCertificate = new RedisConnections(url, PASSWORD, caOnly, Duration.ofSeconds(5))) {
            assertThatThrownBy(noCertificate::async).isInstanceOf(RuntimeException.class);
        }
        try (RedisConnections wrongPassword = new RedisConnections(url, "not-the-password", withClientCertificate(), Duration.ofSeconds(5))) {
            assertThatThrownBy(wrongPassword::async).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void refusesARedisWhoseCertificateItsCaDidNotSign() {
        TestCertificates other = TestCertificates.authority(dir, "other");
        ClientTlsConfig wrongCa = new ClientTlsConfig(Optional.of(other.caFile()), Optional.of(gatewayCert.cert()),
                Optional.of(gatewayCert.key()));
        try (RedisConnections connections = new RedisConnections(url, PASSWORD, wrongCa, Duration.ofSeconds(5))) {
            assertThatThrownBy(connections::async).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void theFleetRateLimiterCountsInTheSameRedisWithThePasswordAndCertificates() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RateLimits onePerHour = new RateLimits(1.0 / 3600, 1, 0, RateLimits.DAY);
        RateLimiter limiter = RateLimiter.fleet(RedisEndpoint.create(url, PASSWORD, withClientCertificate(), Duration.ofSeconds(5)),
                "tls-limits", AuthConfig.LimiterSettings.DEFAULTS, registry, System::currentTimeMillis);
        try (RedisConnections connections = new RedisConnections(url, PASSWORD, withClientCertificate(), Duration.ofSeconds(5))) {
            // connected in the background: until then a replica counts alone
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (registry.get("modelgate.ratelimit.redis.degraded").gauge().value() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(registry.get("modelgate.ratelimit.redis.degraded").gauge().value()).isZero();

            Decision first = limiter.acquire("key:checkout", onePerHour).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            Decision second = limiter.acquire("key:checkout", onePerHour).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

            assertThat(first.allowed()).isTrue();
            assertThat(second.allowed()).isFalse();
            assertThat(second.reason()).isEqualTo(Decision.RATE);
            assertThat(connections.async().keys("tls-limits:ratelimit:*").get(5, TimeUnit.SECONDS)).isNotEmpty();
        } finally {
            limiter.close();
        }
    }

    private static ClientTlsConfig withClientCertificate() {
        return new ClientTlsConfig(Optional.of(ca.caFile()), Optional.of(gatewayCert.cert()), Optional.of(gatewayCert.key()));
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server with TLS did not start; see " + dir.resolve("redis.log"));
    }
}
