package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.e2e.container.OciArchive;
import dev.modelgate.e2e.container.Podman;
import dev.modelgate.e2e.kubernetes.Manifests;
import dev.modelgate.e2e.kubernetes.PodEnvironment;
import dev.modelgate.e2e.kubernetes.PodFileSystem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image of scripts/build-image.sh (opt-in: {@code MODELGATE_IMAGE_TESTS=1}; it builds the image
 * first when the archive is missing or older than the jar, which takes about a minute and needs root and the
 * Debian mirror). The OCI archive is read as a runtime would (user, entrypoint, volumes, layers, size); then,
 * where podman can run containers on this host, the image is run as the Kubernetes Deployment runs it: read-only
 * root, the ConfigMap's configuration and the Secret's files mounted where the pod mounts them, the container's
 * arguments and environment, the writable folders on tmpfs, and asked what the kubelet and podman's health
 * check ask. Where podman cannot run containers the second test is skipped and says why.
 */
@EnabledIfEnvironmentVariable(named = "MODELGATE_IMAGE_TESTS", matches = "1")
class ContainerImageE2ETest {

    private static final Path ARCHIVE = GatewayProcess.REPO.resolve("target/modelgate-image.oci.tar");
    private static final Path STORAGE = GatewayProcess.REPO.resolve(".run/image/storage");
    private static final Path RUN_ROOT = GatewayProcess.REPO.resolve(".run/image/runroot");
    private static final String IMAGE = "localhost/modelgate:0.1.0";
    private static final String POD_NAME = "modelgate-7c9d8f6b5-q8m2n";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static OciArchive archive;

    @BeforeAll
    static void buildAndRead(@TempDir Path layout) throws Exception {
        if (!Files.exists(ARCHIVE) || Files.getLastModifiedTime(ARCHIVE).compareTo(Files.getLastModifiedTime(GatewayProcess.JAR)) < 0) {
            // its output to a file, not inherited: surefire reads the fork's stdout as its own channel
            Path log = layout.resolve("build-image.log");
            Process build = new ProcessBuilder(GatewayProcess.REPO.resolve("scripts/build-image.sh").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(build.waitFor(15, TimeUnit.MINUTES)).as("scripts/build-image.sh within 15 minutes").isTrue();
            System.out.println(Files.readString(log));
            assertThat(build.exitValue()).as("scripts/build-image.sh exit code").isZero();
        }
        archive = OciArchive.read(ARCHIVE, layout);
    }

    @Test
    void theImageRunsTheJarAsANonRootUserWithItsWritableFoldersAsVolumes() {
        JsonNode config = archive.runConfig();
        assertThat(config.path("User").asText()).isEqualTo("10001:10001");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).containsSequence("-jar", "/opt/modelgate/modelgate.jar");
        assertThat(config.path("Cmd").get(0).asText()).isEqualTo("serve");
        assertThat(config.path("Volumes").has("/var/lib/modelgate")).isTrue();
        assertThat(config.path("Volumes").has("/tmp")).isTrue();
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();

        // the base, the JRE, the application: the order in which they change
        assertThat(archive.layers().size()).as("layers").isEqualTo(3);
        List<String> base = archive.layers().get(0).paths();
        assertThat(base).contains("etc/passwd", "etc/group", "bin/busybox", "lib/x86_64-linux-gnu/libc.so.6",
                "usr/lib/x86_64-linux-gnu/libstdc++.so.6", "var/lib/modelgate/");
        assertThat(base).as("no shell links, no package manager, no documentation").doesNotContain("bin/sh", "bin/bash", "usr/bin/apt",
                "usr/bin/dpkg").noneMatch(p -> p.startsWith("var/lib/dpkg/") || p.startsWith("usr/share/doc/"));
        assertThat(archive.layers().get(1).paths()).contains("opt/java/bin/java", "opt/java/lib/security/cacerts");
        assertThat(archive.layers().get(2).paths()).contains("opt/modelgate/modelgate.jar", "opt/modelgate/modelgate.yaml",
                "opt/modelgate/demo/fraud-score.onnx", "opt/modelgate/demo/fraud-score-v2.onnx");
        archive.layers().forEach(layer -> System.out.printf("layer %s: %.1f MiB compressed, %d paths%n", layer.digest().substring(0, 19),
                layer.compressedBytes() / 1048576.0, layer.paths().size()));
        System.out.printf("image: %.1f MiB compressed%n", archive.compressedBytes() / 1048576.0);
        assertThat(archive.compressedBytes()).as("compressed size").isLessThan(300L << 20);
    }

    @Test
    void theImageServesOnAReadOnlyRootWithTheKubernetesConfigurationAndDrainsOnSigterm(@TempDir Path root) throws Exception {
        Podman.Probe probe = Podman.probe(STORAGE, RUN_ROOT, IMAGE);
        System.out.println("podman: " + probe.description());
        assumeTrue(probe.podman().isPresent(), () -> "podman cannot run containers here: " + probe.description());
        Podman podman = probe.podman().get();

        Manifests manifests = Manifests.of(GatewayProcess.REPO.resolve("deploy/kubernetes/overlays/demo"));
        PodSpec pod = manifests.one(Deployment.class).getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().get(0);
        String adminToken = "image-test-" + UUID.randomUUID();
        PodFileSystem files = PodFileSystem.create(root, pod, gateway, List.of(manifests.one(ConfigMap.class)),
                List.of(manifests.one(Secret.class)), PodEnvironment.secretsForThisMachine(adminToken), Map.of());
        // the shared Redis: this container's leader lease and state apart from every other gateway's
        String configPath = gateway.getArgs().get(gateway.getArgs().indexOf("--config") + 1);
        ObjectNode config = (ObjectNode) YAML.readTree(files.hostPath(configPath).toFile());
        ((ObjectNode) config.path("state")).put("key_prefix", "image-test-" + UUID.randomUUID());
        YAML.writeValue(files.hostPath(configPath).toFile(), config);

        int port = GatewayProcess.freePort();
        String database = ClickHouse.uniqueDatabase("image");
        String name = "modelgate-image-test-" + port;
        // the writable folders are the image's VOLUMEs: an anonymous volume for /var/lib/modelgate (owned by the
        // image's user, like the pod's emptyDir with fsGroup), the tmpfs that --read-only puts on /tmp
        List<String> options = new ArrayList<>(List.of("-d", "--name", name, "--read-only", "--network", "host"));
        for (PodFileSystem.Mount mount : files.mounts()) {
            if (!mount.volumeKind().equals("emptyDir")) {
                options.addAll(List.of("-v", mount.hostPath() + ":" + mount.containerPath() + ":ro"));
            }
        }
        Map<String, String> env = PodEnvironment.of(gateway, POD_NAME);
        // the cluster's Services are this machine's loopback servers; the port is a free one
        env.put("MODELGATE_PORT", Integer.toString(port));
        env.put("MODELGATE_CLICKHOUSE_URL", ClickHouse.URL);
        env.put("MODELGATE_CLICKHOUSE_USER", "default");
        env.put("MODELGATE_CLICKHOUSE_DATABASE", database);
        env.put("MODELGATE_REDIS_URL", System.getenv().getOrDefault("MODELGATE_REDIS_URL", "redis://127.0.0.1:6379"));
        env.put("MODELGATE_ALERTMANAGER_URL", AlertmanagerAlerts.URL);
        env.forEach((key, value) -> options.addAll(List.of("-e", key + "=" + value)));
        options.add(IMAGE);
        options.addAll(gateway.getArgs());

        ClickHouse clickHouse = new ClickHouse();
        Podman.Result started = podman.run(options, 120);
        assertThat(started.exitCode()).as(started.output()).isZero();
        try {
            InferApi api = new InferApi(URI.create("http://127.0.0.1:" + port));
            awaitReady(api, podman, name);
            for (Probe kubeletProbe : List.of(gateway.getStartupProbe(), gateway.getLivenessProbe(), gateway.getReadinessProbe())) {
                assertThat(api.get(kubeletProbe.getHttpGet().getPath()).statusCode()).isEqualTo(200);
            }
            Podman.Result health = podman.command(List.of("healthcheck", "run", name), 60);
            assertThat(health.exitCode()).as("the image's HEALTHCHECK: " + health.output()).isZero();

            HttpResponse<String> inferred = api.post("/v2/models/fraud-score/infer", InferApi.fraudRequest(new float[12], "unit-1"));
            assertThat(inferred.statusCode()).as(inferred.body()).isEqualTo(200);
            assertThat(api.send(HttpRequest.newBuilder(api.uri("/admin/experiments")).header("Authorization", "Bearer " + adminToken))
                    .statusCode()).as("the admin token from the Secret's file").isEqualTo(200);

            assertThat(podman.command(List.of("exec", name, "/bin/busybox", "id", "-un"), 60).output().strip()).isEqualTo("modelgate");
            Podman.Result write = podman.command(List.of("exec", name, "/bin/busybox", "touch", "/opt/modelgate/x"), 60);
            assertThat(write.exitCode()).isNotZero();
            assertThat(write.output()).contains("Read-only file system");

            long stopping = System.nanoTime();
            Podman.Result stop = podman.command(List.of("stop", "-t", Long.toString(pod.getTerminationGracePeriodSeconds()), name), 120);
            long drainMillis = (System.nanoTime() - stopping) / 1_000_000;
            assertThat(stop.exitCode()).as(stop.output()).isZero();
            String exit = podman.command(List.of("inspect", name, "--format", "{{.State.ExitCode}}"), 60).output().strip();
            assertThat(exit).as("exit status after SIGTERM (143 = 128 + SIGTERM), not 137 (SIGKILL)").isIn("0", "143");
            assertThat(podman.command(List.of("logs", name), 60).output()).contains("shutting down", "stopped");
            System.out.printf("container: ready, served, drained in %d ms after SIGTERM%n", drainMillis);
            assertThat(clickHouse.count(database + ".predictions")).as("the request, flushed to ClickHouse by the drain").isEqualTo(1);
        } finally {
            podman.command(List.of("rm", "-f", "-v", name), 120);
            clickHouse.dropDatabase(database);
        }
    }

    private static void awaitReady(InferApi api, Podman podman, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (api.get("/v2/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the JVM is starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not ready within 120 s:\n" + podman.command(List.of("logs", name), 60).output());
    }
}
