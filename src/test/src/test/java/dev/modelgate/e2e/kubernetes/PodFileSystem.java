package dev.modelgate.e2e.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A container's file system as its pod spec lays it out, reproduced in a host folder: every ConfigMap and
 * Secret volume written as the kubelet would write it, every emptyDir created, and the image's own folders
 * mapped to where the same files lie in the repository. Paths the container sees translate to host paths,
 * so that the gateway's configuration from the ConfigMap can be loaded (and run) here with its paths
 * pointing at the same files, and a path that falls on no volume is known to be on the image's root file
 * system.
 */
public final class PodFileSystem {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One mount: where the container sees it, where it lies on the host, and whether the container may write. */
    public record Mount(String containerPath, Path hostPath, boolean writable, String volumeKind) {}

    private final List<Mount> mounts;

    private PodFileSystem(List<Mount> mounts) {
        // the longest container path first, so that a mount inside another one wins
        this.mounts = mounts.stream().sorted(Comparator.comparingInt((Mount m) -> m.containerPath().length()).reversed()).toList();
    }

    /**
     * Lays out {@code container}'s volume mounts under {@code root}. {@code secretValues} replaces the
     * Secret's values by key (a test's own credentials for its local servers), keeping its keys;
     * {@code imageFolders} maps folders of the image (read-only, on its root file system) to host folders.
     */
    public static PodFileSystem create(Path root, PodSpec pod, Container container, List<ConfigMap> configMaps,
            List<Secret> secrets, UnaryOperator<Map<String, String>> secretValues, Map<String, Path> imageFolders) throws IOException {
        List<Mount> mounts = new java.util.ArrayList<>();
        imageFolders.forEach((containerPath, hostPath) -> mounts.add(new Mount(containerPath, hostPath, false, "image")));
        Map<String, Volume> volumes = new HashMap<>();
        pod.getVolumes().forEach(volume -> volumes.put(volume.getName(), volume));
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = volumes.get(mount.getName());
            if (volume == null) {
                throw new AssertionError("volumeMount " + mount.getName() + " names no volume of the pod");
            }
            Path host = root.resolve("volumes").resolve(mount.getName());
            boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly());
            if (volume.getConfigMap() != null) {
                write(host, named(configMaps, volume.getConfigMap().getName()).getData());
                mounts.add(subPathMount(mount, host, "configMap"));
            } else if (volume.getSecret() != null) {
                write(host, secretValues.apply(values(named(secrets, volume.getSecret().getSecretName()))));
                mounts.add(subPathMount(mount, host, "secret"));
            } else if (volume.getEmptyDir() != null) {
                Files.createDirectories(host);
                mounts.add(new Mount(mount.getMountPath(), host, !readOnly, "emptyDir"));
            } else {
                throw new AssertionError("volume " + mount.getName() + ": only configMap, secret and emptyDir volumes are expected");
            }
        }
        return new PodFileSystem(mounts);
    }

    /** Every volume mount and mapped image folder, the most specific first. */
    public List<Mount> mounts() {
        return mounts;
    }

    /** The mount a container path falls on; empty when it is on the image's root file system. */
    public Optional<Mount> mountOf(String containerPath) {
        return mounts.stream().filter(m -> containerPath.equals(m.containerPath()) || containerPath.startsWith(m.containerPath() + "/"))
                .findFirst();
    }

    /** Where a container path lies on the host. */
    public Path hostPath(String containerPath) {
        Mount mount = mountOf(containerPath).orElseThrow(() -> new AssertionError(containerPath + " is on no volume and no mapped image folder"));
        String rest = containerPath.substring(mount.containerPath().length());
        return rest.isEmpty() ? mount.hostPath() : mount.hostPath().resolve(rest.substring(1));
    }

    /**
     * The gateway configuration at {@code containerPath}, with every absolute path in it translated to the
     * host, then changed by {@code edit}; written beside it as a host file, whose path is returned.
     */
    public Path hostConfig(String containerPath, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path file = hostPath(containerPath);
        JsonNode tree = YAML.readTree(file.toFile());
        translatePaths(tree);
        edit.accept((ObjectNode) tree);
        Path hostFile = file.resolveSibling(file.getFileName() + ".host.yaml");
        YAML.writeValue(hostFile.toFile(), tree);
        return hostFile;
    }

    private void translatePaths(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> keys = new java.util.ArrayList<>();
            object.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                JsonNode value = object.get(key);
                if (value.isTextual() && value.asText().startsWith("/") && mountOf(value.asText()).isPresent()) {
                    object.put(key, hostPath(value.asText()).toString());
                } else {
                    translatePaths(value);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(this::translatePaths);
        }
    }

    /** A configMap or secret mount: a folder of files, or with {@code subPath} the one file. */
    private static Mount subPathMount(VolumeMount mount, Path host, String kind) {
        Path hostPath = mount.getSubPath() == null || mount.getSubPath().isEmpty() ? host : host.resolve(mount.getSubPath());
        return new Mount(mount.getMountPath(), hostPath, false, kind);
    }

    /** A Secret's values by key, as its files hold them ({@code data} decoded, {@code stringData} as is). */
    public static Map<String, String> values(Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> values.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }

    private static void write(Path folder, Map<String, String> files) throws IOException {
        Files.createDirectories(folder);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue());
        }
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T named(List<T> objects, String name) {
        return objects.stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the pod mounts " + name + ", which the manifests do not define"));
    }
}
