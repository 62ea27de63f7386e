package dev.modelgate.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Makes API key secrets and their salted hashes. A secret reads {@code mgk_<keyId>_<random>}: the key id
 * (public, 16 hex characters) finds the record, the 256 random bits behind it are what must match.
 * The hash is one salted SHA-256, not a slow password hash: with 256 bits of entropy guessing is out of
 * reach however fast the hash, and a slow one would cost milliseconds on the request path the first
 * time a replica sees a key.
 */
public final class KeySecrets {

    /** Every API key starts so, which tells it apart from other bearer tokens (the admin token). */
    public static final String PREFIX = "mgk_";
    private static final int ID_HEX = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random;

    public KeySecrets(SecureRandom random) {
        this.random = random;
    }

    /** A new secret, to be shown once, with what may be stored about it. */
    public record Issued(String secret, String keyId, String salt, String hash) {}

    public Issued issue() {
        String keyId = HEX.formatHex(bytes(ID_HEX / 2));
        String secret = PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        String salt = HEX.formatHex(bytes(16));
        return new Issued(secret, keyId, salt, hash(salt, secret));
    }

    /** Hex SHA-256 of the salt's bytes then the secret's UTF-8 bytes. */
    public static String hash(String salt, String secret) {
        return HEX.formatHex(digest(HEX.parseHex(salt), secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code secret} hashes to the stored hash; constant time in the comparison. */
    static boolean matches(ApiKey key, byte[] secret) {
        return MessageDigest.isEqual(digest(HEX.parseHex(key.salt()), secret), HEX.parseHex(key.hash()));
    }

    /** The key id a presented secret claims, if it has the shape of one. */
    static Optional<String> keyId(String presented) {
        if (presented.length() <= PREFIX.length() + ID_HEX + 1 || !presented.startsWith(PREFIX)
                || presented.charAt(PREFIX.length() + ID_HEX) != '_') {
            return Optional.empty();
        }
        return Optional.of(presented.substring(PREFIX.length(), PREFIX.length() + ID_HEX));
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    private static byte[] digest(byte[] salt, byte[] secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
