package dev.modelgate.gateway.config;

/**
 * How one input feature is written to the prediction log ({@code models.M.features.F.log}), for personal
 * data that must not be stored as it was sent.
 */
public enum FeatureLogging {
    /** As sent (the default). */
    KEEP,
    /** A keyed hash of the value (HMAC-SHA256 with {@code privacy.hash_salt}): equal values stay equal, so counts and drift still work. */
    HASH,
    /** The name is logged with no value (NaN, read back as null). */
    REDACT,
    /** Neither name nor value is logged. */
    DROP
}
