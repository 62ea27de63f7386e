package dev.modelgate.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads and checks the {@code auth:} section. */
final class AuthConfigReader {

    private static final Set<String> ROLES = Set.of("viewer", "experimenter", "operator", "admin");

    private AuthConfigReader() {}

    static AuthConfig auth(ConfigNode node, Set<String> models, Path baseDir) {
        node.rejectUnknownKeys(Set.of("required", "resync_interval_ms", "keys", "model_limits", "anonymous_limits", "limiter",
                "probing", "jwt"));
        List<AuthConfig.DeclaredKey> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode key : node.objectList("keys")) {
            AuthConfig.DeclaredKey declared = key(key, models);
            if (!names.add(declared.name())) {
                throw ConfigNode.error(key.childPath("name"), "duplicate key name '" + declared.name() + "'");
            }
            keys.add(declared);
        }
        Map<String, RateLimits> modelLimits = new LinkedHashMap<>();
        node.objects("model_limits").forEach((model, limits) -> {
            if (!models.contains(model)) {
                throw ConfigNode.error(limits.path(), "no model '" + model + "' is configured");
            }
            modelLimits.put(model, limits(limits));
        });
        return new AuthConfig(
                node.bool("required", false),
                node.millis("resync_interval_ms", Duration.ofSeconds(1), 100, 3_600_000),
                keys,
                modelLimits,
                node.has("anonymous_limits") ? limits(node.object("anonymous_limits")) : RateLimits.NONE,
                limiter(node.object("limiter")),
                probing(node.object("probing")),
                node.has("jwt") ? Optional.of(jwt(node.object("jwt"), baseDir)) : Optional.empty());
    }

    private static AuthConfig.JwtSettings jwt(ConfigNode node, Path baseDir) {
        node.rejectUnknownKeys(Set.of("hs256_secret", "jwks_file", "role_claim", "issuer", "audience"));
        String secret = node.string("hs256_secret", "");
        String jwks = node.string("jwks_file", "");
        if (secret.isEmpty() == jwks.isEmpty()) {
            throw ConfigNode.error(node.path(), "give exactly one of hs256_secret and jwks_file");
        }
        if (!secret.isEmpty() && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw ConfigNode.error(node.childPath("hs256_secret"), "must be at least 32 bytes (HS256 needs a 256-bit key)");
        }
        Path file = jwks.isEmpty() ? null : baseDir.resolve(jwks).normalize();
        if (file != null && !Files.isReadable(file)) {
            throw ConfigNode.error(node.childPath("jwks_file"), "cannot read " + file);
        }
        return new AuthConfig.JwtSettings(secret, file, node.string("role_claim", "role"), node.string("issuer", ""),
                node.string("audience", ""));
    }

    private static AuthConfig.DeclaredKey key(ConfigNode node, Set<String> models) {
        node.rejectUnknownKeys(Set.of("name", "owner", "key_id", "salt", "hash", "models", "expires_at", "role", "limits"));
        List<String> scope = node.list("models", v -> v);
        for (String model : scope) {
            if (!model.equals("*") && !models.contains(model)) {
                throw ConfigNode.error(node.childPath("models"), "no model '" + model + "' is configured");
            }
        }
        String role = node.string("role", "");
        if (!role.isEmpty() && !ROLES.contains(role)) {
            throw ConfigNode.error(node.childPath("role"), "must be one of " + ROLES + ", got '" + role + "'");
        }
        String keyId = node.requiredString("key_id");
        if (!keyId.matches("[0-9a-f]{16}")) {
            throw ConfigNode.error(node.childPath("key_id"), "must be 16 hex digits");
        }
        String salt = node.requiredString("salt");
        String hash = node.requiredString("hash");
        if (!salt.matches("([0-9a-f]{2})+") || !hash.matches("[0-9a-f]{64}")) {
            throw ConfigNode.error(node.childPath("hash"), "salt must be hex and hash 64 hex digits (as POST /admin/keys answers)");
        }
        Instant expires = null;
        if (node.has("expires_at")) {
            try {
                expires = Instant.parse(node.requiredString("expires_at"));
            } catch (DateTimeParseException e) {
                throw ConfigNode.error(node.childPath("expires_at"), "must be an ISO-8601 instant like 2027-01-31T00:00:00Z");
            }
        }
        Set<String> allowed = new HashSet<>(scope);
        allowed.remove("*");
        return new AuthConfig.DeclaredKey(node.requiredString("name"), node.string("owner", ""), keyId, salt, hash,
                allowed, expires, role, node.has("limits") ? limits(node.object("limits")) : RateLimits.NONE);
    }

    static RateLimits limits(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("rate_per_second", "burst", "quota", "quota_period_seconds"));
        double rate = node.decimal("rate_per_second", 0, 0, 1e9);
        return new RateLimits(rate,
                node.number("burst", Math.max(1, (long) Math.ceil(rate)), 1, Long.MAX_VALUE),
                node.number("quota", 0, 0, Long.MAX_VALUE),
                Duration.ofSeconds(node.number("quota_period_seconds", RateLimits.DAY.toSeconds(), 1, 366L * 86_400)));
    }

    private static AuthConfig.LimiterSettings limiter(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("redis_timeout_ms", "retry_after_ms"));
        AuthConfig.LimiterSettings defaults = AuthConfig.LimiterSettings.DEFAULTS;
        return new AuthConfig.LimiterSettings(
                node.millis("redis_timeout_ms", defaults.redisTimeout(), 1, 10_000),
                node.millis("retry_after_ms", defaults.retryAfter(), 100, 3_600_000));
    }

    private static AuthConfig.ProbingSettings probing(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("enabled", "window_seconds", "min_requests", "threshold", "throttle_rate_per_second",
                "max_samples"));
        AuthConfig.ProbingSettings defaults = AuthConfig.ProbingSettings.DEFAULTS;
        return new AuthConfig.ProbingSettings(
                node.bool("enabled", defaults.enabled()),
                Duration.ofSeconds(node.number("window_seconds", defaults.window().toSeconds(), 1, 86_400)),
                node.integer("min_requests", defaults.minRequests(), 2, 1_000_000),
                node.decimal("threshold", defaults.threshold(), 0.01, 1),
                node.decimal("throttle_rate_per_second", defaults.throttleRate(), 0, 1e9),
                node.integer("max_samples", defaults.maxSamples(), 10, 1_000_000));
    }
}
