package dev.modelgate.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call the gateway, how often, and how their traffic is watched ({@code auth:}).
 *
 * @param required      whether the data plane needs an API key (false: anonymous calls are served, and
 *                      a key that is sent is still checked, scoped, limited and logged)
 * @param resync        how often the key store is re-read (a key created or revoked on another replica
 *                      takes effect here within that)
 * @param keys          keys declared in this file, by their salted hash (a single node without Redis)
 * @param modelLimits   limits per model, across all callers
 * @param anonymous     limits of callers without a key, together, per model they call
 * @param limiter       where the limits are counted
 * @param probing       the extraction / probing monitor
 * @param jwt           bearer JWTs accepted on the admin API; empty for none
 */
public record AuthConfig(boolean required, Duration resync, List<DeclaredKey> keys, Map<String, RateLimits> modelLimits,
                         RateLimits anonymous, LimiterSettings limiter, ProbingSettings probing, Optional<JwtSettings> jwt) {

    public AuthConfig {
        keys = List.copyOf(keys);
        modelLimits = Map.copyOf(modelLimits);
    }

    /**
     * A key declared in the configuration: what {@code POST /admin/keys} answers under {@code config},
     * pasted into the YAML.
     *
     * @param models empty for every model
     * @param role   empty for a data-plane-only key, else viewer, experimenter, operator or admin
     */
    public record DeclaredKey(String name, String owner, String keyId, String salt, String hash, Set<String> models,
                              Instant expiresAt, String role, RateLimits limits) {

        public DeclaredKey {
            models = Set.copyOf(models);
        }
    }

    /**
     * JWTs for the admin API: signed with HS256 by {@code hs256Secret}, or by a key of the JWKS file
     * (RS256, ES256), with the role in {@code roleClaim}; {@code exp} and {@code sub} are required.
     *
     * @param hs256Secret empty when only the JWKS file is used (at least 32 bytes otherwise)
     * @param jwksFile    null when only the secret is used
     * @param issuer      the required {@code iss}; empty for any
     * @param audience    the required {@code aud}; empty for any
     */
    public record JwtSettings(String hs256Secret, Path jwksFile, String roleClaim, String issuer, String audience) {}

    /**
     * @param redisTimeout how long a request waits for the fleet's counters in Redis before it is
     *                     counted by this replica alone
     * @param retryAfter   after a Redis failure, how long this replica counts alone before trying Redis again
     */
    public record LimiterSettings(Duration redisTimeout, Duration retryAfter) {
        // 100 ms: a compare-and-swap is two round trips, and a loaded host (or a JIT still warming) takes tens of ms
        public static final LimiterSettings DEFAULTS = new LimiterSettings(Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /**
     * @param window          length of one evaluation window
     * @param minRequests     fewer requests in a window leave the key's score where it was
     * @param threshold       the suspicion score that fires the alert
     * @param throttleRate    requests per second a key above the threshold is held to; 0 for none
     * @param maxSamples      requests per key and window kept for the analysis (the rest are only counted)
     */
    public record ProbingSettings(boolean enabled, Duration window, int minRequests, double threshold, double throttleRate,
                                  int maxSamples) {
        public static final ProbingSettings DEFAULTS = new ProbingSettings(true, Duration.ofSeconds(20), 30, 0.6, 0, 2_000);
    }
}
