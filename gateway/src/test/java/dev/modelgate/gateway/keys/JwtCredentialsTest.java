package dev.modelgate.gateway.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.modelgate.gateway.config.AuthConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin JWTs: HS256 with the configured secret, RS256 with a JWKS file; what makes a token worthless. */
class JwtCredentialsTest {

    private static final String SECRET = "an-hs256-secret-of-at-least-32-bytes!";
    private static final AuthConfig.JwtSettings HS256 = new AuthConfig.JwtSettings(SECRET, null, "role", "https://idp.example", "");

    @TempDir
    Path dir;

    private static String token(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims(String role) {
        return new JWTClaimsSet.Builder().subject("alice").issuer("https://idp.example").claim("role", role)
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    @Test
    void anHs256TokenWithARoleSpeaksForItsSubject() throws Exception {
        String token = token(new MACSigner(SECRET), new JWSHeader(JWSAlgorithm.HS256), claims("operator").build());

        assertThat(new JwtCredentials(HS256).verify(token)).hasValue(new JwtCredentials.Identity("jwt:alice", Role.OPERATOR));
    }

    @Test
    void expiredForgedForeignOrRolelessTokensAreWorthless() throws Exception {
        JwtCredentials credentials = new JwtCredentials(HS256);
        MACSigner signer = new MACSigner(SECRET);
        JWSHeader header = new JWSHeader(JWSAlgorithm.HS256);

        String expired = token(signer, header, claims("admin").expirationTime(Date.from(Instant.now().minusSeconds(300))).build());
        String forged = token(new MACSigner("another-secret-of-at-least-32-bytes!!"), header, claims("admin").build());
        String foreign = token(signer, header, claims("admin").issuer("https://elsewhere.example").build());
        String roleless = token(signer, header, new JWTClaimsSet.Builder().subject("alice").issuer("https://idp.example")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        String unknownRole = token(signer, header, claims("root").build());
        String noExpiry = token(signer, header, claims("admin").expirationTime(null).build());

        for (String token : new String[] {expired, forged, foreign, roleless, unknownRole, noExpiry, "not.a.jwt", "mgk_x"}) {
            assertThat(credentials.verify(token)).as(token).isEmpty();
        }
    }

    @Test
    void anRs256TokenVerifiesAgainstTheJwksFile() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        JwtCredentials credentials = new JwtCredentials(new AuthConfig.JwtSettings("", jwks, "role", "", ""));

        String token = token(new RSASSASigner(key), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                claims("viewer").build());
        String other = token(new RSASSASigner(new RSAKeyGenerator(2048).keyID("k1").generate()),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims("viewer").build());

        assertThat(credentials.verify(token)).hasValue(new JwtCredentials.Identity("jwt:alice", Role.VIEWER));
        assertThat(credentials.verify(other)).isEmpty();
        // an HS256 token made with the public key as its secret (the classic algorithm confusion) is refused
        String confused = token(new MACSigner(key.toPublicJWK().toRSAPublicKey().getEncoded()), new JWSHeader(JWSAlgorithm.HS256),
                claims("admin").build());
        assertThat(credentials.verify(confused)).isEmpty();
    }
}
