package dev.modelgate.gateway.keys;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One node's keys: those created through the admin API live until the process ends. */
public final class InMemoryKeyStore implements KeyStore {

    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();

    @Override
    public List<ApiKey> all() {
        return List.copyOf(keys.values());
    }

    @Override
    public boolean create(ApiKey key) {
        return keys.putIfAbsent(key.name(), key) == null;
    }

    @Override
    public boolean revoke(String name) {
        return keys.remove(name) != null;
    }
}
