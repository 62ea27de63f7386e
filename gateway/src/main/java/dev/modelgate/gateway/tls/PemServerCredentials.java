package dev.modelgate.gateway.tls;

import dev.modelgate.gateway.config.ConfigException;
import dev.modelgate.gateway.config.ServerTlsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * Turns the PEM files of {@code server.tls} into Vert.x {@link ServerSSLOptions}, checking them first so
 * that a missing file, a file that is not PEM, or a key that does not belong to the certificate is an
 * error naming the key and file at start-up (and a refused reload later) rather than a failed handshake
 * for every client. The options carry the files' contents, not their paths: two loads of changed files
 * give options that differ, which is what {@code HttpServer.updateSSLOptions} needs to swap them in.
 * Blocking (reads files): call off the event loop.
 */
public final class PemServerCredentials {

    private final ServerTlsConfig config;
    private final Vertx vertx;

    public PemServerCredentials(ServerTlsConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    public ServerTlsConfig config() {
        return config;
    }

    /** The files as they are now. @throws ConfigException naming the file that is wrong and why */
    public ServerSSLOptions load() {
        byte[] certs = read(config.certFile(), "cert_file");
        byte[] key = read(config.keyFile(), "key_file");
        X509Certificate leaf = certificates(certs, config.certFile(), "cert_file").get(0);
        PemKeyCertOptions keyCert = new PemKeyCertOptions().setCertValue(Buffer.buffer(certs)).setKeyValue(Buffer.buffer(key));
        checkKeyMatches(keyCert, leaf);
        ServerSSLOptions options = new ServerSSLOptions().setKeyCertOptions(keyCert);
        config.clientCaFile().ifPresent(caFile -> {
            byte[] ca = read(caFile, "client_ca_file");
            certificates(ca, caFile, "client_ca_file");
            options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca)));
        });
        return options.setClientAuth(switch (config.clientAuth()) {
            case NONE -> ClientAuth.NONE;
            case REQUEST -> ClientAuth.REQUEST;
            case REQUIRED -> ClientAuth.REQUIRED;
        });
    }

    private static byte[] read(Path file, String key) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw problem(key, file, "cannot read it (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static List<X509Certificate> certificates(byte[] pem, Path file, String key) {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))
                    .forEach(cert -> certs.add((X509Certificate) cert));
            if (certs.isEmpty()) {
                throw problem(key, file, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return certs;
        } catch (CertificateException e) {
            throw problem(key, file, "not a PEM certificate: " + e.getMessage());
        }
    }

    /** Signs with the key and verifies with the certificate: a rotated certificate beside an old key fails here. */
    private void checkKeyMatches(PemKeyCertOptions keyCert, X509Certificate leaf) {
        PrivateKey key;
        try {
            KeyManagerFactory factory = keyCert.getKeyManagerFactory(vertx);
            key = privateKey(factory.getKeyManagers(), leaf.getPublicKey().getAlgorithm());
        } catch (Exception e) {
            throw problem("key_file", config.keyFile(), "not a PEM private key matching cert_file: " + e.getMessage());
        }
        if (key == null) {
            throw problem("key_file", config.keyFile(), "holds no " + leaf.getPublicKey().getAlgorithm() + " private key for cert_file");
        }
        try {
            String algorithm = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA sign without a separate digest
            };
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signer.sign())) {
                throw problem("key_file", config.keyFile(), "does not belong to the certificate of cert_file " + config.certFile());
            }
        } catch (GeneralSecurityException e) {
            throw problem("key_file", config.keyFile(), "cannot be checked against cert_file: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(KeyManager[] managers, String algorithm) {
        for (KeyManager manager : managers) {
            if (manager instanceof X509KeyManager x509) {
                String[] aliases = x509.getServerAliases(algorithm, null);
                if (aliases != null && aliases.length > 0) {
                    return x509.getPrivateKey(aliases[0]);
                }
            }
        }
        return null;
    }

    private static ConfigException problem(String key, Path file, String message) {
        return new ConfigException("server.tls." + key + ": " + file + ": " + message);
    }
}
