package dev.modelgate.e2e.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The objects a kustomization stands for, read into fabric8's typed Kubernetes model. With {@code kubectl}
 * on the PATH the overlay is rendered by kustomize itself ({@code kubectl kustomize DIR}: namespace, name
 * hashes of generated ConfigMaps and Secrets, patches, images); without it every resource file of the
 * kustomization and of its bases is read as written, and the generators are turned into their ConfigMap
 * or Secret without kustomize's name suffix ({@link #renderedByKustomize()} tells which happened).
 */
public final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<HasMetadata> objects;
    private final boolean renderedByKustomize;

    private Manifests(List<HasMetadata> objects, boolean renderedByKustomize) {
        this.objects = List.copyOf(objects);
        this.renderedByKustomize = renderedByKustomize;
    }

    /** The kustomization in {@code dir}, rendered by kustomize when it is installed. */
    public static Manifests of(Path dir) throws IOException, InterruptedException {
        if (kubectlInstalled()) {
            return new Manifests(parse(kustomize(dir)), true);
        }
        return new Manifests(readWithoutKustomize(dir), false);
    }

    /** Every object of one file (several YAML documents allowed). */
    public static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        if (parsed instanceof List<?> list) {
            return list.stream().map(HasMetadata.class::cast).toList();
        }
        if (parsed instanceof KubernetesList list) {
            return list.getItems();
        }
        return List.of((HasMetadata) parsed);
    }

    public boolean renderedByKustomize() {
        return renderedByKustomize;
    }

    public List<HasMetadata> all() {
        return objects;
    }

    /** The single object of {@code type}; fails when there is none or more than one. */
    public <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    /** kubectl on the PATH; {@code -Dmodelgate.kubectl=none} reads the files without it, as on a machine without kubectl. */
    static boolean kubectlInstalled() {
        if ("none".equals(System.getProperty("modelgate.kubectl"))) {
            return false;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return !path.isEmpty() && List.of(path.split(":")).stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
    }

    private static String kustomize(Path dir) throws IOException, InterruptedException {
        Path output = Files.createTempFile("kustomize", ".yaml");
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + dir + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + errors);
            }
            return Files.readString(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static List<HasMetadata> readWithoutKustomize(Path dir) throws IOException {
        JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(readWithoutKustomize(path));
            } else {
                objects.addAll(parse(Files.readString(path)));
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            objects.add(configMap(dir, generator));
        }
        for (JsonNode generator : kustomization.path("secretGenerator")) {
            objects.add(secret(dir, generator));
        }
        return objects;
    }

    private static ConfigMap configMap(Path dir, JsonNode generator) {
        return new ConfigMapBuilder().withNewMetadata().withName(generator.path("name").asText()).endMetadata()
                .withData(generatedData(dir, generator)).build();
    }

    private static Secret secret(Path dir, JsonNode generator) {
        return new SecretBuilder().withNewMetadata().withName(generator.path("name").asText()).endMetadata()
                .withStringData(generatedData(dir, generator)).build();
    }

    /** {@code files: [name]} and {@code literals: [key=value]} of a generator, as kustomize reads them. */
    private static Map<String, String> generatedData(Path dir, JsonNode generator) {
        Map<String, String> data = new LinkedHashMap<>();
        for (JsonNode file : generator.path("files")) {
            Path path = dir.resolve(file.asText());
            try {
                data.put(path.getFileName().toString(), Files.readString(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (JsonNode literal : generator.path("literals")) {
            String[] keyValue = literal.asText().split("=", 2);
            data.put(keyValue[0], keyValue[1]);
        }
        return data;
    }
}
