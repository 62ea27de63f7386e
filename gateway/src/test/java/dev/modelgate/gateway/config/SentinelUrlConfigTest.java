package dev.modelgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state.redis_url} naming Redis through Sentinel: accepted as Lettuce reads it, refused with a reason otherwise. */
class SentinelUrlConfigTest {

    @TempDir
    Path dir;

    private GatewayConfig load(String yaml) throws IOException {
        return new ConfigFiles(dir).load(ConfigFiles.MODELS + yaml, Map.of());
    }

    @Test
    void sentinelUrlsAreAcceptedWithTheirPasswordAndTls() throws IOException {
        Files.writeString(dir.resolve("ca.crt"), "pem");
        GatewayConfig plain = load("state: {store: redis, redis_url: \"redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/0#mymaster\"}\n");
        assertThat(plain.state().redisUrl()).isEqualTo("redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/0#mymaster");

        GatewayConfig tls = load("""
                state: {store: redis, redis_url: "rediss-sentinel://s1:26379/0#mymaster", redis_password: pw, tls: {ca_file: ca.crt}}
                """);
        assertThat(tls.state().redisTls().caFile()).contains(dir.resolve("ca.crt"));
        assertThat(tls.state().redisPassword()).isEqualTo("pw");
    }

    @Test
    void aSentinelUrlWithoutTheMasterNameIsRefused() {
        assertThatThrownBy(() -> load("state: {redis_url: \"redis-sentinel://s1:26379,s2:26379/0\"}\n"))
                .hasMessageStartingWith("state.redis_url: a Sentinel URL names the monitored primary after '#'");
        assertThatThrownBy(() -> load("state: {redis_url: \"sentinel://s1:26379#m\"}\n"))
                .hasMessageStartingWith("state.redis_url: must be a redis://, rediss://, redis-sentinel:// or rediss-sentinel:// URL");
        assertThatThrownBy(() -> load("state: {redis_url: \"redis-sentinel://s1:26379#m\", tls: {ca_file: ca.crt}}\n"))
                .hasMessageContaining("state.tls: is set but state.redis_url does not use TLS");
    }

    @Test
    void aPasswordInTheUrlIsHiddenInMessages() {
        assertThat(StateConfig.withoutPassword("redis-sentinel://secret@s1:26379,s2:26379/0#m"))
                .isEqualTo("redis-sentinel://***@s1:26379,s2:26379/0#m");
        assertThat(StateConfig.withoutPassword("redis://user:secret@r:6379")).isEqualTo("redis://user:***@r:6379");
        assertThat(StateConfig.withoutPassword("redis://r:6379")).isEqualTo("redis://r:6379");
    }
}
