package dev.modelgate.gateway.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where experiment state lives.
 *
 * @param store          {@code memory} (one node; the default) or {@code redis} (a fleet)
 * @param redisUrl       e.g. {@code redis://127.0.0.1:6379}, or {@code rediss://…} for TLS; with Sentinel
 *                       {@code redis-sentinel://host:26379,host:26380/0#mymaster} ({@code rediss-sentinel://} for TLS):
 *                       the primary is looked up from the sentinels at every (re)connection
 * @param redisPassword  Redis's {@code AUTH} password (empty: none, or the one in the URL); with Sentinel, the
 *                       primary's and replicas' password (the sentinels are asked without one)
 * @param redisTls       the CA and client certificate for a {@code rediss://} or {@code rediss-sentinel://} URL
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
        Matcher userInfo = USER_INFO.matcher(url);
        if (!userInfo.find()) {
            return url;
        }
        // "user:password@" keeps the user; a lone "password@" (Lettuce reads it as the password) is hidden whole
        String user = userInfo.group(2) == null ? "" : userInfo.group(2) + ":";
        return userInfo.group(1) + user + "***@" + url.substring(userInfo.end());
    }

    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)(?:([^:@/]*):)?[^@/]*@");

    /** A URL Lettuce connects to: one Redis, or the primary that Sentinel names. */
    public static boolean isRedisUrl(String url) {
        return url.startsWith("redis://") || url.startsWith("rediss://") || isSentinelUrl(url);
    }

    public static boolean isSentinelUrl(String url) {
        return url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://");
    }

    public static boolean isTlsUrl(String url) {
        return url.startsWith("rediss://") || url.startsWith("rediss-sentinel://");
    }

    @Override
    public String toString() {
        return "StateConfig[store=" + store + ", redisUrl=" + withoutPassword(redisUrl) + ", redisPassword="
                + (redisPassword.isEmpty() ? "" : "***") + ", redisTls=" + redisTls + ", keyPrefix=" + keyPrefix
                + ", resyncInterval=" + resyncInterval + ", leaseTtl=" + leaseTtl + "]";
    }
}
