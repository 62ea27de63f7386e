package dev.modelgate.gateway.keys;

import dev.modelgate.gateway.config.RateLimits;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** What {@code POST /admin/keys} asks for; the gateway adds the secret. */
public record NewKey(String name, String owner, Set<String> models, Instant expiresAt, Optional<Role> role, RateLimits limits) {

    public NewKey {
        models = Set.copyOf(models);
    }
}
