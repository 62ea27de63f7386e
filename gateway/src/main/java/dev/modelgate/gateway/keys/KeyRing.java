package dev.modelgate.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys this replica knows, read on the request path without I/O. A presented secret is hashed the
 * first time it verifies; afterwards it is compared (in constant time) with the copy kept here, so a
 * known key costs a map lookup and a byte comparison. Only secrets that verified are kept, one per key,
 * so a caller guessing cannot grow the cache. The key set is swapped whole when the store is re-read.
 */
public final class KeyRing {

    public enum Status { MISSING, INVALID, EXPIRED, OK }

    /** The outcome of checking a presented secret: the key when it is known (also when expired). */
    public record Verification(Status status, ApiKey key) {
        static final Verification MISSING = new Verification(Status.MISSING, null);
        static final Verification INVALID = new Verification(Status.INVALID, null);
    }

    private volatile Map<String, ApiKey> byId = Map.of();
    private volatile Map<String, ApiKey> byName = Map.of();
    /** key id to the secret bytes that verified against its current record */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    public Verification verify(String presented, long nowMillis) {
        if (presented == null || presented.isEmpty()) {
            return Verification.MISSING;
        }
        Optional<String> id = KeySecrets.keyId(presented);
        ApiKey key = id.map(byId::get).orElse(null);
        if (key == null) {
            return Verification.INVALID;
        }
        byte[] secret = presented.getBytes(StandardCharsets.UTF_8);
        byte[] known = verified.get(key.keyId());
        boolean valid = known != null ? MessageDigest.isEqual(known, secret) : KeySecrets.matches(key, secret);
        if (!valid) {
            return Verification.INVALID;
        }
        if (known == null) {
            verified.put(key.keyId(), secret);
        }
        return new Verification(key.expiredAt(nowMillis) ? Status.EXPIRED : Status.OK, key);
    }

    /** Replaces the known keys; a secret verified against a record that changed or went away is forgotten. */
    public void replaceAll(Collection<ApiKey> keys) {
        Map<String, ApiKey> ids = new HashMap<>();
        Map<String, ApiKey> names = new HashMap<>();
        for (ApiKey key : keys) {
            ids.put(key.keyId(), key);
            names.put(key.name(), key);
        }
        Map<String, ApiKey> previous = byId;
        byId = Map.copyOf(ids);
        byName = Map.copyOf(names);
        previous.forEach((keyId, old) -> {
            if (!old.equals(ids.get(keyId))) {
                verified.remove(keyId);
            }
        });
    }

    public Optional<ApiKey> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<ApiKey> all() {
        return byName.values();
    }
}
