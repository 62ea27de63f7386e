package dev.modelgate.gateway.keys;

import dev.modelgate.gateway.state.RedisConnections;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A fleet's keys in one Redis hash ({@code <prefix>:api-keys}, field = key name, value = the key's JSON
 * with its salted hash). Every replica reads the whole hash periodically; a key is small and a fleet
 * has few of them.
 */
public final class RedisKeyStore implements KeyStore {

    private static final long TIMEOUT_MILLIS = 2_000;

    private final RedisConnections redis;
    private final String hashKey;

    public RedisKeyStore(RedisConnections redis, String keyPrefix) {
        this.redis = redis;
        this.hashKey = keyPrefix + ":api-keys";
    }

    @Override
    public List<ApiKey> all() {
        Map<String, String> fields = await(redis.async().hgetall(hashKey));
        List<ApiKey> keys = new ArrayList<>();
        fields.values().forEach(json -> keys.add(KeyCodec.decode(new JsonObject(json))));
        return keys;
    }

    @Override
    public boolean create(ApiKey key) {
        return await(redis.async().hsetnx(hashKey, key.name(), KeyCodec.encode(key).encode()));
    }

    @Override
    public boolean revoke(String name) {
        return await(redis.async().hdel(hashKey, name)) > 0;
    }

    private static <T> T await(java.util.concurrent.Future<T> future) {
        try {
            return future.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Redis: " + e.getMessage(), e);
        }
    }
}
