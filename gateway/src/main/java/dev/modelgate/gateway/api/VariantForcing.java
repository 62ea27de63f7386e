package dev.modelgate.gateway.api;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code X-Force-Variant} pins a request to a variant, bypassing assignment — for tests and debugging,
 * so only callers holding the admin token may do it ({@code Authorization: Bearer <token>}).
 */
public final class VariantForcing {

    public static final String HEADER = "X-Force-Variant";

    private final byte[] adminToken;

    public VariantForcing(String adminToken) {
        this.adminToken = adminToken == null ? new byte[0] : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The forced variant, empty when none is asked for; 403 when the caller may not force. */
    Optional<String> forcedVariant(HttpServerRequest request) {
        return forcedVariant(request.getHeader(HEADER), request.getHeader("Authorization"));
    }

    /** As {@link #forcedVariant(HttpServerRequest)}, from the two header (or gRPC metadata) values; null when absent. */
    public Optional<String> forcedVariant(String variant, String authorization) {
        if (variant == null || variant.isEmpty()) {
            return Optional.empty();
        }
        boolean allowed = adminToken.length > 0 && authorization != null && authorization.startsWith("Bearer ")
                && MessageDigest.isEqual(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8), adminToken);
        if (!allowed) {
            throw new ApiException(403, HEADER + " needs the admin token");
        }
        return Optional.of(variant);
    }
}
