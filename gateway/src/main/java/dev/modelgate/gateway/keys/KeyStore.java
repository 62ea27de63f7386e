package dev.modelgate.gateway.keys;

import java.util.List;

/**
 * Where API keys live: this process's memory (one node) or Redis (a fleet). Calls may block on I/O:
 * {@link KeyService} makes them on a worker thread, never on the request path.
 */
public interface KeyStore extends AutoCloseable {

    List<ApiKey> all();

    /** Adds the key unless one of that name exists; returns whether it was added. */
    boolean create(ApiKey key);

    /** Removes the key; returns whether there was one. */
    boolean revoke(String name);

    @Override
    default void close() {}
}
