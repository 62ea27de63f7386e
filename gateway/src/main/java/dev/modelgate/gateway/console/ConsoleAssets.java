package dev.modelgate.gateway.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The console's files (HTML, ES modules, CSS, the vendored chart library), read once from the
 * classpath folder {@code console/} into memory: a few hundred kilobytes, so serving them never touches
 * the disk or blocks an event loop.
 */
public final class ConsoleAssets {

    /** One file: its bytes, media type and a strong ETag (a hash of the bytes). */
    public record Asset(byte[] bytes, String contentType, String etag) {}

    private static final String ROOT = "console";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8",
            "json", "application/json");

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** Reads every file under {@code console/} of the class path (a folder in tests, a jar entry in the assembled gateway). */
    public static ConsoleAssets load() {
        URL root = ConsoleAssets.class.getClassLoader().getResource(ROOT);
        if (root == null) {
            return new ConsoleAssets(Map.of());
        }
        try {
            URI uri = root.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = openJar(uri)) {
                    return new ConsoleAssets(read(jar.getPath(ROOT)));
                }
            }
            return new ConsoleAssets(read(Path.of(uri)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's files", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the console's files from " + root, e);
        }
    }

    private static FileSystem openJar(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            // another reader has it open: a fresh one of our own, on the jar's file
            String jar = uri.getSchemeSpecificPart().substring("file:".length(), uri.getSchemeSpecificPart().indexOf("!/"));
            return FileSystems.newFileSystem(Path.of(jar));
        }
    }

    private static Map<String, Asset> read(Path root) throws IOException {
        Map<String, Asset> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String name = root.relativize(file).toString().replace('\\', '/');
                byte[] bytes = Files.readAllBytes(file);
                files.put(name, new Asset(bytes, type(name), "\"" + sha256(bytes).substring(0, 32) + "\""));
            }
        }
        return files;
    }

    private static String type(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file at {@code path} (relative to the console's root, e.g. {@code js/app.js}). */
    public Optional<Asset> find(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    public int size() {
        return assets.size();
    }
}
