package dev.modelgate.gateway.keys;

import dev.modelgate.gateway.config.RateLimits;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One API key as stored: never its secret, only the salted hash of it.
 *
 * @param keyId     the public part of the secret ({@code mgk_<keyId>_...}), to find the record a presented
 *                  secret claims to belong to without trying every hash
 * @param salt      hex, random per key
 * @param hash      hex SHA-256 of the salt's bytes followed by the secret's UTF-8 bytes
 * @param models    the models the key may call; empty for all of them
 * @param expiresAt null for a key that does not expire
 * @param role      the key's admin role; empty for a data-plane-only key
 * @param limits    the key's own rate limit and quota ({@link RateLimits#NONE} for none)
 */
public record ApiKey(String name, String owner, String keyId, String salt, String hash, Set<String> models,
                     Instant expiresAt, Optional<Role> role, RateLimits limits, Instant createdAt) {

    public ApiKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(hash, "hash");
        models = Set.copyOf(models);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(limits, "limits");
    }

    public boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public boolean expiredAt(long nowMillis) {
        return expiresAt != null && expiresAt.toEpochMilli() <= nowMillis;
    }
}
