package dev.modelgate.gateway.keys;

import dev.modelgate.gateway.config.AuthConfig;
import dev.modelgate.gateway.config.RateLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link ApiKey} as JSON: the form stored in Redis and, without its salt and hash, the one the admin
 * API answers with.
 */
public final class KeyCodec {

    private KeyCodec() {}

    /** What {@code /admin/keys} shows of a key: everything but the salt and hash. */
    public static JsonObject describe(ApiKey key) {
        JsonObject json = new JsonObject()
                .put("name", key.name())
                .put("owner", key.owner())
                .put("key_id", key.keyId())
                .put("models", key.models().isEmpty() ? new JsonArray().add("*") : new JsonArray(key.models().stream().sorted().toList()))
                .put("created_at", key.createdAt().toString())
                .put("limits", limits(key.limits()));
        if (key.expiresAt() != null) {
            json.put("expires_at", key.expiresAt().toString());
        }
        key.role().ifPresent(role -> json.put("role", role.wireName()));
        return json;
    }

    /** A key declared in the configuration; it has no creation time of its own. */
    public static ApiKey declared(AuthConfig.DeclaredKey key) {
        return new ApiKey(key.name(), key.owner(), key.keyId(), key.salt(), key.hash(), key.models(), key.expiresAt(),
                Role.parse(key.role()), key.limits(), Instant.EPOCH);
    }

    public static JsonObject encode(ApiKey key) {
        return describe(key).put("salt", key.salt()).put("hash", key.hash());
    }

    public static ApiKey decode(JsonObject json) {
        Set<String> models = new HashSet<>();
        json.getJsonArray("models", new JsonArray()).forEach(model -> models.add(String.valueOf(model)));
        models.remove("*");
        String expires = json.getString("expires_at");
        Optional<Role> role = Optional.ofNullable(json.getString("role")).flatMap(Role::parse);
        return new ApiKey(json.getString("name"), json.getString("owner", ""), json.getString("key_id"), json.getString("salt"),
                json.getString("hash"), models, expires == null ? null : Instant.parse(expires), role,
                limits(json.getJsonObject("limits", new JsonObject())), Instant.parse(json.getString("created_at")));
    }

    static JsonObject limits(RateLimits limits) {
        return new JsonObject()
                .put("rate_per_second", limits.ratePerSecond())
                .put("burst", limits.burst())
                .put("quota", limits.quota())
                .put("quota_period_seconds", limits.quotaPeriod().toSeconds());
    }

    /** Limits from their JSON form; absent fields take the defaults of {@link RateLimits#NONE}. */
    public static RateLimits limits(JsonObject json) {
        double rate = json.getNumber("rate_per_second", 0).doubleValue();
        long burst = json.getNumber("burst", Math.max(1, (long) Math.ceil(rate))).longValue();
        return new RateLimits(rate, burst, json.getNumber("quota", 0).longValue(),
                Duration.ofSeconds(json.getNumber("quota_period_seconds", RateLimits.DAY.toSeconds()).longValue()));
    }
}
