package dev.modelgate.gateway.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.config.RateLimits;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Verification of presented secrets against salted hashes, and what a change of the key set does to it. */
class KeyRingTest {

    private static final long NOW = Instant.parse("2026-12-07T06:00:00Z").toEpochMilli();

    private final KeySecrets secrets = new KeySecrets(new SecureRandom());
    private final KeyRing ring = new KeyRing();

    private record Made(ApiKey key, String secret) {}

    private Made make(String name, Instant expires) {
        KeySecrets.Issued issued = secrets.issue();
        return new Made(new ApiKey(name, "", issued.keyId(), issued.salt(), issued.hash(), Set.of(), expires, Optional.empty(),
                RateLimits.NONE, Instant.EPOCH), issued.secret());
    }

    @Test
    void theSecretVerifiesAndNothingElseDoes() {
        Made made = make("checkout", null);
        ring.replaceAll(List.of(made.key()));
        String secret = made.secret();
        char last = secret.charAt(secret.length() - 1);

        assertThat(ring.verify(secret, NOW).status()).isEqualTo(KeyRing.Status.OK);
        assertThat(ring.verify(secret, NOW).key().name()).isEqualTo("checkout"); // again, from the cache of verified secrets
        assertThat(ring.verify(secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A'), NOW).status())
                .isEqualTo(KeyRing.Status.INVALID);
        assertThat(ring.verify("not-a-key", NOW).status()).isEqualTo(KeyRing.Status.INVALID);
        assertThat(ring.verify("", NOW).status()).isEqualTo(KeyRing.Status.MISSING);
        assertThat(made.key().hash()).isEqualTo(KeySecrets.hash(made.key().salt(), secret)).doesNotContain(secret);
    }

    @Test
    void theSameSecretUnderAnotherSaltHashesDifferently() {
        assertThat(KeySecrets.hash("00", "mgk_0123456789abcdef_x")).isNotEqualTo(KeySecrets.hash("01", "mgk_0123456789abcdef_x"));
    }

    @Test
    void anExpiredKeyIsKnownButNotValid() {
        Made made = make("old", Instant.ofEpochMilli(NOW));
        ring.replaceAll(List.of(made.key()));

        KeyRing.Verification verification = ring.verify(made.secret(), NOW);

        assertThat(verification.status()).isEqualTo(KeyRing.Status.EXPIRED);
        assertThat(verification.key().name()).isEqualTo("old");
    }

    @Test
    void aRevokedKeyStopsVerifyingEvenAfterItWasCached() {
        Made made = make("revoked", null);
        Made other = make("other", null);
        ring.replaceAll(List.of(made.key(), other.key()));
        assertThat(ring.verify(made.secret(), NOW).status()).isEqualTo(KeyRing.Status.OK);

        ring.replaceAll(List.of(other.key()));

        assertThat(ring.verify(made.secret(), NOW).status()).isEqualTo(KeyRing.Status.INVALID);
        assertThat(ring.byName("revoked")).isEmpty();
        assertThat(ring.verify(other.secret(), NOW).status()).isEqualTo(KeyRing.Status.OK);
    }
}
