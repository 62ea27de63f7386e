package dev.modelgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code auth:} section: defaults that keep the demo open, declared keys, limits, and errors that name their key. */
class AuthConfigReaderTest {

    private static final String MODEL = """
            models:
              fraud:
                variants:
                  v1:
                    backend: {type: onnx, path: model.onnx}
            """;
    private static final String KEY = "{name: checkout, owner: team-a, key_id: 0123456789abcdef, salt: 00ff, "
            + "hash: " + "ab".repeat(32);

    @TempDir
    Path dir;

    @BeforeEach
    void modelFile() throws IOException {
        Files.writeString(dir.resolve("model.onnx"), "the loader only checks the file exists");
    }

    private AuthConfig auth(String yaml) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, MODEL + yaml);
        return new ConfigLoader(Map.of()).load(file).auth();
    }

    @Test
    void withoutASectionKeysAreOptionalAndNothingIsLimited() throws IOException {
        AuthConfig auth = auth("");

        assertThat(auth.required()).isFalse();
        assertThat(auth.keys()).isEmpty();
        assertThat(auth.anonymous().any()).isFalse();
        assertThat(auth.limiter().redisTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(auth.probing()).isEqualTo(AuthConfig.ProbingSettings.DEFAULTS);
    }

    @Test
    void declaredKeysAndLimitsAreRead() throws IOException {
        AuthConfig auth = auth("""
                auth:
                  required: true
                  keys:
                    - %s, models: [fraud], expires_at: "2027-01-31T00:00:00Z", role: viewer,
                       limits: {rate_per_second: 2.5, quota: 1000}}
                  model_limits:
                    fraud: {rate_per_second: 100, burst: 200}
                  anonymous_limits: {rate_per_second: 1}
                """.formatted(KEY));

        assertThat(auth.required()).isTrue();
        AuthConfig.DeclaredKey key = auth.keys().get(0);
        assertThat(key.name()).isEqualTo("checkout");
        assertThat(key.models()).isEqualTo(Set.of("fraud"));
        assertThat(key.expiresAt()).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(key.role()).isEqualTo("viewer");
        // the burst defaults to one second's worth (rounded up), the quota period to a day
        assertThat(key.limits()).isEqualTo(new RateLimits(2.5, 3, 1000, Duration.ofDays(1)));
        assertThat(auth.modelLimits()).containsEntry("fraud", new RateLimits(100, 200, 0, Duration.ofDays(1)));
        assertThat(auth.anonymous()).isEqualTo(new RateLimits(1, 1, 0, Duration.ofDays(1)));
    }

    @Test
    void everyBadValueNamesItsKey() {
        assertThatThrownBy(() -> auth("auth: {keys: [" + KEY + ", models: [credit]}]}"))
                .hasMessageContaining("auth.keys[0].models: no model 'credit' is configured");
        assertThatThrownBy(() -> auth("auth: {keys: [" + KEY + ", role: root}]}"))
                .hasMessageContaining("auth.keys[0].role: must be one of");
        assertThatThrownBy(() -> auth("auth: {keys: [" + KEY.replace("0123456789abcdef", "xyz") + "}]}"))
                .hasMessageContaining("auth.keys[0].key_id: must be 16 hex digits");
        assertThatThrownBy(() -> auth("auth: {keys: [" + KEY + "}, " + KEY + "}]}"))
                .hasMessageContaining("auth.keys[1].name: duplicate key name 'checkout'");
        assertThatThrownBy(() -> auth("auth: {model_limits: {credit: {rate_per_second: 1}}}"))
                .hasMessageContaining("auth.model_limits.credit: no model 'credit' is configured");
        assertThatThrownBy(() -> auth("auth: {anonymous_limits: {rate_per_second: -1}}"))
                .hasMessageContaining("auth.anonymous_limits.rate_per_second: must be between 0");
        assertThatThrownBy(() -> auth("auth: {probing: {threshold: 2}}"))
                .hasMessageContaining("auth.probing.threshold: must be between 0.01 and 1");
        assertThatThrownBy(() -> auth("auth: {jwt: {hs256_secret: short}}"))
                .hasMessageContaining("auth.jwt.hs256_secret: must be at least 32 bytes");
        assertThatThrownBy(() -> auth("auth: {jwt: {role_claim: role}}"))
                .hasMessageContaining("auth.jwt: give exactly one of hs256_secret and jwks_file");
        assertThatThrownBy(() -> auth("auth: {jwt: {jwks_file: missing.json}}"))
                .hasMessageContaining("auth.jwt.jwks_file: cannot read");
    }
}
