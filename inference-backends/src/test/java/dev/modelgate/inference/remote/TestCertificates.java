package dev.modelgate.inference.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test with the {@code openssl} command (Debian's {@code openssl}
 * package), issuing server certificates for 127.0.0.1/localhost and client certificates: nothing is
 * downloaded and nothing outlives the test's folder. Keys are P-256, quick to generate.
 */
public final class TestCertificates {

    /** A certificate and its key, as PEM files. */
    public record Issued(Path cert, Path key, BigInteger serial) {}

    private final Path dir;
    private final Path caCert;
    private final Path caKey;

    private TestCertificates(Path dir, Path caCert, Path caKey) {
        this.dir = dir;
        this.caCert = caCert;
        this.caKey = caKey;
    }

    /** A new self-signed CA named {@code name}, its files in {@code dir}. */
    public static TestCertificates authority(Path dir, String name) {
        Path cert = dir.resolve(name + "-ca.crt");
        Path key = dir.resolve(name + "-ca.key");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + name + " test CA");
        return new TestCertificates(dir, cert, key);
    }

    /** The CA's certificate: what a peer trusts. */
    public Path caFile() {
        return caCert;
    }

    /** A server certificate for 127.0.0.1 and localhost with serial {@code serial}, in {@code name}.crt/.key. */
    public Issued server(String name, long serial) {
        return issue(name, serial, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    }

    /** A client certificate (CN = {@code name}). */
    public Issued client(String name, long serial) {
        return issue(name, serial, "extendedKeyUsage=clientAuth\n");
    }

    /**
     * Replaces {@code target}'s certificate and key with a new pair of serial {@code serial}, each file
     * moved into place atomically (the key first), as a secret volume or cert-manager rotates them.
     */
    public Issued rotate(Issued target, long serial) {
        Issued fresh = server("rotation-" + serial, serial);
        move(fresh.key(), target.key());
        move(fresh.cert(), target.cert());
        return new Issued(target.cert(), target.key(), BigInteger.valueOf(serial));
    }

    /** {@code issued} as a PKCS#12 key store with password {@link #PKCS12_PASSWORD}, for clients that cannot read PEM keys (the JDK's). */
    public Path pkcs12(Issued issued) {
        Path store = issued.cert().resolveSibling(issued.cert().getFileName() + ".p12");
        openssl(dir, "pkcs12", "-export", "-in", issued.cert().toString(), "-inkey", issued.key().toString(),
                "-out", store.toString(), "-passout", "pass:" + PKCS12_PASSWORD);
        return store;
    }

    public static final String PKCS12_PASSWORD = "test-only";

    private Issued issue(String name, long serial, String extensions) {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = dir.resolve(name + ".ext");
        write(ext, extensions);
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-set_serial", Long.toString(serial), "-days", "2", "-out", cert.toString(), "-extfile", ext.toString());
        return new Issued(cert, key, BigInteger.valueOf(serial));
    }

    private static void openssl(Path dir, String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (Debian package openssl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
