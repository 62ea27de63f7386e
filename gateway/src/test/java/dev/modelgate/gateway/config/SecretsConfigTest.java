package dev.modelgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets given from outside the file (a mounted secret, the environment), and kept out of every message. */
class SecretsConfigTest {

    private static final String TOKEN = "s3cr3t-admin-token-value";
    @TempDir
    Path dir;

    private GatewayConfig load(String yaml, Map<String, String> env) throws IOException {
        return new ConfigFiles(dir).load(ConfigFiles.MODELS + yaml, env);
    }

    @Test
    void aSecretFileIsReadWithoutItsTrailingLineBreak() throws IOException {
        Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
        Files.writeString(dir.resolve("ch-password"), "pa ss\r\n");

        GatewayConfig config = load("""
                server: {admin_token_file: admin-token}
                clickhouse: {password_file: ch-password}
                """, Map.of());

        assertThat(config.server().adminToken()).isEqualTo(TOKEN);
        assertThat(config.clickhouse().password()).isEqualTo("pa ss");
    }

    @Test
    void aSecretComesFromANamedVariableOrIsInterpolated() throws IOException {
        GatewayConfig config = load("""
                server: {admin_token_env: ADMIN_TOKEN}
                state: {redis_password: "${REDIS_PW}"}
                clickhouse: {password: "x-${CH_PW}-y"}
                """, Map.of("ADMIN_TOKEN", TOKEN, "REDIS_PW", "redis-pw", "CH_PW", "ch"));

        assertThat(config.server().adminToken()).isEqualTo(TOKEN);
        assertThat(config.state().redisPassword()).isEqualTo("redis-pw");
        assertThat(config.clickhouse().password()).isEqualTo("x-ch-y");
    }

    @Test
    void onlySecretKeysAreInterpolated() throws IOException {
        GatewayConfig config = load("""
                instance_id: "${HOSTNAME}"
                """, Map.of("HOSTNAME", "node-1"));

        assertThat(config.instanceId()).isEqualTo("${HOSTNAME}");
    }

    @Test
    void theEnvironmentOverrideWinsOverASecretFile() throws IOException {
        GatewayConfig config = load("server: {admin_token_file: no-such-file}\n", Map.of("MODELGATE_ADMIN_TOKEN", TOKEN));

        assertThat(config.server().adminToken()).isEqualTo(TOKEN);
    }

    @Test
    void problemsNameTheKeyAndNeverTheValue() throws IOException {
        Files.writeString(dir.resolve("admin-token"), TOKEN);

        assertThatThrownBy(() -> load("server: {admin_token_file: missing}\n", Map.of()))
                .hasMessage("server.admin_token_file: cannot read " + dir.resolve("missing") + ": no such file");
        assertThatThrownBy(() -> load("server: {admin_token_env: NOT_SET}\n", Map.of()))
                .hasMessage("server.admin_token_env: environment variable NOT_SET is not set");
        assertThatThrownBy(() -> load("state: {redis_password: \"${NOT_SET}\"}\n", Map.of()))
                .hasMessage("state.redis_password: environment variable NOT_SET is not set");
        assertThatThrownBy(() -> load("server: {admin_token: " + TOKEN + ", admin_token_file: admin-token}\n", Map.of()))
                .hasMessageContaining("give admin_token one way only")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> load("state: {redis_url: \"http://:" + TOKEN + "@host:6379\"}\n", Map.of()))
                .hasMessageContaining("http://:***@host")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void configurationsPrintNoSecret() throws IOException {
        GatewayConfig config = load("""
                server: {admin_token: "%1$s"}
                clickhouse: {password: "%1$s"}
                state: {redis_password: "%1$s", redis_url: "redis://:%1$s@127.0.0.1:6379"}
                """.formatted(TOKEN), Map.of());

        assertThat(config.server().toString()).doesNotContain(TOKEN).contains("adminToken=***");
        assertThat(config.clickhouse().toString()).doesNotContain(TOKEN);
        assertThat(config.state().toString()).doesNotContain(TOKEN);
    }

    @Test
    void tlsFilesMustExistAndClientAuthNeedsACa() throws IOException {
        Files.writeString(dir.resolve("server.crt"), "pem");
        Files.writeString(dir.resolve("server.key"), "pem");

        assertThatThrownBy(() -> load("server: {tls: {cert_file: missing.crt, key_file: server.key}}\n", Map.of()))
                .hasMessage("server.tls.cert_file: cannot read " + dir.resolve("missing.crt") + ": no such file");
        assertThatThrownBy(() -> load("server: {tls: {cert_file: server.crt, key_file: server.key, client_auth: required}}\n", Map.of()))
                .hasMessageStartingWith("server.tls.client_ca_file: is required when client_auth is required");
        assertThatThrownBy(() -> load("clickhouse: {url: \"http://ch:8123\", tls: {ca_file: server.crt}}\n", Map.of()))
                .hasMessage("clickhouse.tls: is set but clickhouse.url does not use TLS (https://, rediss:// or rediss-sentinel://)");
        assertThatThrownBy(() -> load("state: {redis_url: \"rediss://r:6380\", tls: {cert_file: server.crt}}\n", Map.of()))
                .hasMessageStartingWith("state.tls.key_file: is required with cert_file");

        GatewayConfig config = load("""
                server: {tls: {cert_file: server.crt, key_file: server.key, client_ca_file: server.crt}}
                state: {redis_url: "rediss://r:6380", tls: {ca_file: server.crt}}
                """, Map.of());
        ServerTlsConfig tls = config.server().tls().orElseThrow();
        assertThat(tls.clientAuth()).isEqualTo(ServerTlsConfig.ClientAuthMode.REQUIRED); // a client CA means mTLS unless said otherwise
        assertThat(config.state().redisTls().caFile()).contains(dir.resolve("server.crt"));
    }
}
