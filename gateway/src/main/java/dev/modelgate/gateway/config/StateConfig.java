package dev.modelgate.gateway.config;

import java.time.Duration;

/**
 * Where experiment state lives.
 *
 * @param store          {@code memory} (one node; the default) or {@code redis} (a fleet)
 * @param redisUrl       e.g. {@code redis://127.0.0.1:6379}, or {@code rediss://…} for TLS
 * @param redisPassword  Redis's {@code AUTH} password (empty: none, or the one in the URL)
 * @param redisTls       the CA and client certificate for a {@code rediss://} URL
 * @param keyPrefix      prefix of every Redis key, so several fleets can share a Redis
 * @param resyncInterval how often a replica reloads from Redis besides change messages; bounds how
 *                       long a replica that missed a message (Redis was down) stays behind
 * @param leaseTtl       the control-loop leader lease's time to live
 */
public record StateConfig(String store, String redisUrl, String redisPassword, ClientTlsConfig redisTls, String keyPrefix,
                          Duration resyncInterval, Duration leaseTtl) {

    public static final String MEMORY = "memory";
    public static final String REDIS = "redis";

    public boolean shared() {
        return REDIS.equals(store);
    }

    /** {@code url} with the password of its user information (if any) replaced, for messages. */
    public static String withoutPassword(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://[^:@/]*:)[^@/]*@", "$1***@");
    }

    @Override
    public String toString() {
        return "StateConfig[store=" + store + ", redisUrl=" + withoutPassword(redisUrl) + ", redisPassword="
                + (redisPassword.isEmpty() ? "" : "***") + ", redisTls=" + redisTls + ", keyPrefix=" + keyPrefix
                + ", resyncInterval=" + resyncInterval + ", leaseTtl=" + leaseTtl + "]";
    }
}
