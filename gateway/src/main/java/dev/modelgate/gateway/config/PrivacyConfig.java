package dev.modelgate.gateway.config;

/**
 * {@code privacy:}: the key of the hash that {@code log: hash} features are logged as.
 *
 * @param hashSalt the HMAC key; the same on every replica (and kept across restarts), or hashed values
 *                 stop matching each other and the references hashed with it
 */
public record PrivacyConfig(String hashSalt) {

    public static final PrivacyConfig NONE = new PrivacyConfig("");

    @Override
    public String toString() {
        return "PrivacyConfig[hashSalt=" + (hashSalt.isEmpty() ? "" : "***") + "]";
    }
}
