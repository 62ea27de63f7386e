package dev.modelgate.e2e.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An image written as an OCI archive ({@code oci-archive:FILE}, a tar of an OCI image layout), unpacked and read
 * the way a runtime reads it: index → manifest → config and layers. Only what the tests look at is exposed.
 */
public final class OciArchive {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One layer: its compressed size and the paths it holds (as {@code tar -t} lists them, without "./"). */
    public record Layer(String digest, long compressedBytes, List<String> paths) {}

    private final JsonNode config;
    private final List<Layer> layers;

    private OciArchive(JsonNode config, List<Layer> layers) {
        this.config = config;
        this.layers = List.copyOf(layers);
    }

    /** Unpacks {@code archive} into {@code workDir} (with the system's tar) and reads its only image. */
    public static OciArchive read(Path archive, Path workDir) throws IOException, InterruptedException {
        run(List.of("tar", "-xf", archive.toString(), "-C", workDir.toString()));
        JsonNode index = JSON.readTree(workDir.resolve("index.json").toFile());
        if (index.path("manifests").size() != 1) {
            throw new AssertionError(archive + ": expected one manifest, found " + index.path("manifests").size());
        }
        JsonNode manifest = JSON.readTree(blob(workDir, index.path("manifests").get(0).path("digest").asText()).toFile());
        JsonNode config = JSON.readTree(blob(workDir, manifest.path("config").path("digest").asText()).toFile());
        List<Layer> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            String digest = layer.path("digest").asText();
            List<String> paths = run(List.of("tar", "-tzf", blob(workDir, digest).toString())).lines()
                    .map(p -> p.startsWith("./") ? p.substring(2) : p).filter(p -> !p.isEmpty()).toList();
            layers.add(new Layer(digest, layer.path("size").asLong(), paths));
        }
        return new OciArchive(config, layers);
    }

    /** The image configuration's {@code config} (User, Entrypoint, Cmd, Env, Volumes, ExposedPorts, …). */
    public JsonNode runConfig() {
        return config.path("config");
    }

    public List<Layer> layers() {
        return layers;
    }

    public long compressedBytes() {
        return layers.stream().mapToLong(Layer::compressedBytes).sum();
    }

    private static Path blob(Path layout, String digest) {
        String[] algorithmAndHex = digest.split(":", 2);
        return layout.resolve("blobs").resolve(algorithmAndHex[0]).resolve(algorithmAndHex[1]);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
