package dev.modelgate.gateway.privacy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of a feature's value under a secret key, as a number the prediction log can hold (Float64):
 * the first 52 bits of the MAC, a whole number below 2^52 that a double holds exactly. The same key, name
 * and value always give the same number, so hashed values can still be counted, grouped and compared
 * with a reference hashed the same way; without the key they cannot be recomputed from a guessed value,
 * which an unkeyed hash of a low-cardinality value (an age, a postcode) could.
 * The feature's name is part of the message: one value in two features hashes to two numbers.
 */
public final class KeyedHash {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int KEPT_BITS = 52;

    /** A Mac is stateful: each thread (event loop, worker) keys one of its own. */
    private final ThreadLocal<Mac> macs;

    public KeyedHash(String key) {
        SecretKeySpec secret = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        macs = ThreadLocal.withInitial(() -> keyed(secret));
        macs.get(); // fails here, not on a request, if the JVM lacks the algorithm
    }

    public double hash(String feature, double value) {
        Mac mac = macs.get();
        mac.update(feature.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        // -0.0 and 0.0 are one value to a caller; every NaN is one "missing"
        long bits = Double.doubleToLongBits(value == 0 ? 0.0 : value);
        for (int shift = 56; shift >= 0; shift -= 8) {
            mac.update((byte) (bits >>> shift));
        }
        byte[] digest = mac.doFinal();
        long first = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            first = first << 8 | (digest[i] & 0xFF);
        }
        return (double) (first >>> (Long.SIZE - KEPT_BITS));
    }

    private static Mac keyed(SecretKeySpec secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }
}
