package dev.modelgate.gateway.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.modelgate.gateway.config.AuthConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Admin credentials as signed JWTs (Nimbus JOSE+JWT): HS256 with a shared secret, or RS256 / ES256 with
 * the keys of a JWKS file read at start. A token is valid when its signature verifies, it has not
 * expired, it names a subject, its issuer and audience are the configured ones (when configured), and
 * its role claim names a role. Verification is local and synchronous: no call to an identity provider.
 */
public final class JwtCredentials {

    /** Who a valid token speaks for: {@code jwt:<sub>} in the audit, and its role. */
    public record Identity(String name, Role role) {}

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String roleClaim;

    public JwtCredentials(AuthConfig.JwtSettings settings) {
        this.roleClaim = settings.roleClaim();
        if (!settings.hs256Secret().isEmpty()) {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                    new ImmutableSecret<>(settings.hs256Secret().getBytes(StandardCharsets.UTF_8))));
        } else {
            try {
                processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                        new ImmutableJWKSet<>(JWKSet.load(settings.jwksFile().toFile()))));
            } catch (IOException | ParseException e) {
                throw new IllegalArgumentException("auth.jwt.jwks_file: not a JWKS file: " + e.getMessage(), e);
            }
        }
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (!settings.issuer().isEmpty()) {
            exact.issuer(settings.issuer());
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.audience().isEmpty() ? null : settings.audience(),
                exact.build(), Set.of("sub", "exp", roleClaim)));
    }

    /** The token's identity; empty when it is not a valid token of this gateway's issuer or names no role. */
    public Optional<Identity> verify(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            return Optional.ofNullable(claims.getStringClaim(roleClaim)).flatMap(Role::parse)
                    .map(role -> new Identity("jwt:" + claims.getSubject(), role));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
    }
}
