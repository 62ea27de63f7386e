package dev.modelgate.gateway.ratelimit;

/**
 * The answer of one limit check, with what the caller is told in the {@code RateLimit-*} headers.
 *
 * @param allowed      whether the request may go on
 * @param reason       for a refusal: {@code rate} or {@code quota}; empty when allowed
 * @param limit        the limit the headers describe (the burst, or the quota when there is one)
 * @param remaining    requests left under that limit
 * @param resetSeconds when that limit is whole again (the quota: the end of its period)
 * @param retryAfterSeconds for a refusal: when a retry may succeed
 */
public record Decision(boolean allowed, String reason, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

    public static final String RATE = "rate";
    public static final String QUOTA = "quota";

    /** A scope without limits: nothing to tell the caller. */
    public static final Decision UNLIMITED = new Decision(true, "", 0, 0, 0, 0);

    public boolean limited() {
        return limit > 0;
    }
}
