package dev.modelgate.gateway.state;

import dev.modelgate.gateway.config.ClientTlsConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;

/**
 * A Lettuce client for the configured Redis and the address it connects to: the URL, the {@code AUTH}
 * password given apart from it, and for a {@code rediss://} URL the CA and client certificate. Every
 * client the gateway opens to Redis is made here, so none of them forgets the password or the CA.
 * Commands fail fast while Redis is unreachable instead of queueing (Lettuce's default would let them
 * pile up until they time out).
 *
 * @param client its own; the caller shuts it down
 * @param uri    what {@code client.connect(codec, uri)} takes
 */
public record RedisEndpoint(RedisClient client, RedisURI uri) {

    /**
     * @param password Redis's {@code AUTH} password; empty keeps what the URL says (none, or its own)
     * @param tls      for a {@code rediss://} URL: the CA that signed Redis's certificate (default: the JVM's
     *                 trusted CAs) and the client certificate, when Redis asks for one ({@code tls-auth-clients})
     */
    public static RedisEndpoint create(String url, String password, ClientTlsConfig tls, Duration commandTimeout) {
        RedisURI uri = RedisURI.create(url);
        if (!password.isEmpty()) {
            uri.setAuthentication(password.toCharArray());
        }
        RedisClient client = RedisClient.create(uri);
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout));
        if (uri.isSsl()) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
            tls.caFile().ifPresent(ca -> ssl.trustManager(ca.toFile()));
            if (tls.presentsCertificate()) {
                ssl.keyManager(tls.certFile().orElseThrow().toFile(), tls.keyFile().orElseThrow().toFile(), null);
            }
            options.sslOptions(ssl.build());
        }
        client.setOptions(options.build());
        return new RedisEndpoint(client, uri);
    }
}
