package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.e2e.kubernetes.Manifests;
import dev.modelgate.e2e.kubernetes.PodEnvironment;
import dev.modelgate.e2e.kubernetes.PodFileSystem;
import dev.modelgate.e2e.kubernetes.UnknownFields;
import dev.modelgate.gateway.config.ConfigLoader;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.ModelConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes as a cluster would take it: every file is a Kubernetes object of fabric8's typed model
 * with no field the model does not know, the demo overlay (rendered by {@code kubectl kustomize} when kubectl
 * is installed, else its files read one by one) holds every object the gateway needs, and the pieces fit
 * together and fit the gateway: the ConfigMap's configuration passes the gateway's own loader with the
 * Secret's files where the pod mounts them, the probes ask the real health endpoints on the configured port,
 * the pod is non-root on a read-only root with every written path on a volume, the grace period outlasts the
 * drain, and the HPA's metric is one the gateway exports. The last test runs the jar with the container's
 * arguments, environment and configuration, and asks it what the kubelet and Prometheus would.
 */
class KubernetesManifestsE2ETest {

    private static final Path KUBERNETES = GatewayProcess.REPO.resolve("deploy/kubernetes");
    private static final Path OVERLAY = KUBERNETES.resolve("overlays/demo");
    private static final Path ADAPTER_CONFIG = KUBERNETES.resolve("prometheus-adapter/config.yaml");
    /** The image's folders the manifests refer to, and where their files lie in the repository (scripts/build-image.sh). */
    private static final Map<String, Path> IMAGE_FOLDERS = Map.of("/opt/modelgate/demo", GatewayProcess.REPO.resolve("demo"));
    /** java.io.tmpdir in the image (deploy/image/Containerfile): ONNX Runtime and Netty extract their natives there. */
    private static final String IMAGE_TMPDIR = "/tmp";
    private static final String POD_NAME = "modelgate-5d8f7c9b6-x2k4p";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Manifests manifests;
    private static Deployment deployment;
    private static PodSpec pod;
    private static Container gateway;

    @BeforeAll
    static void render() throws Exception {
        manifests = Manifests.of(OVERLAY);
        deployment = manifests.one(Deployment.class);
        pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers()).hasSize(1);
        gateway = pod.getContainers().get(0);
        System.out.println("deploy/kubernetes/overlays/demo " + (manifests.renderedByKustomize()
                ? "rendered by kubectl kustomize"
                : "read file by file (no kubectl, or -Dmodelgate.kubectl=none: patches and name hashes not applied)"));
    }

    @Test
    void everyManifestIsATypedKubernetesObjectWithoutUnknownFields() throws IOException {
        List<HasMetadata> objects = new ArrayList<>(manifests.all());
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.equals("kustomization.yaml") && !name.equals("modelgate.yaml") && !file.startsWith(ADAPTER_CONFIG.getParent())) {
                    objects.addAll(Manifests.parse(Files.readString(file)));
                }
            }
        }
        for (HasMetadata object : objects) {
            String what = object.getKind() + " " + object.getMetadata().getName();
            assertThat(object).as(what + ": a type of the model, not a generic resource").isNotInstanceOf(GenericKubernetesResource.class);
            assertThat(UnknownFields.of(object)).as(what + ": fields the model does not know").isEmpty();
        }
    }

    @Test
    void theOverlayHoldsEveryObjectTheGatewayNeeds() {
        assertThat(manifests.all()).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Secret",
                "Service", "Deployment", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceMonitor");
        assertThat(pod.getServiceAccountName()).isEqualTo(manifests.one(ServiceAccount.class).getMetadata().getName());
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getConfigMap()).isNotNull()
                .satisfies(c -> assertThat(c.getName()).isEqualTo(manifests.one(ConfigMap.class).getMetadata().getName())));
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getSecret()).isNotNull()
                .satisfies(s -> assertThat(s.getSecretName()).isEqualTo(manifests.one(Secret.class).getMetadata().getName())));
        if (manifests.renderedByKustomize()) {
            assertThat(manifests.all()).extracting(o -> o.getMetadata().getNamespace()).containsOnly("modelgate");
            assertThat(gateway.getImage()).isEqualTo("localhost/modelgate:0.1.0");
            assertThat(gateway.getResources().getRequests()).containsEntry("cpu", new Quantity("500m")); // the overlay's patch
            assertThat(manifests.one(ConfigMap.class).getMetadata().getName()).matches("modelgate-config-[a-z0-9]{10}");
        }
    }

    @Test
    void theConfigMapPassesTheGatewaysLoaderWithTheSecretFilesWhereThePodMountsThem(@TempDir Path root) throws IOException {
        Secret secret = manifests.one(Secret.class);
        PodFileSystem files = podFileSystem(root, UnaryOperator.identity());
        GatewayConfig config = new ConfigLoader(containerEnvironment()).load(files.hostConfig(configPath(), tree -> {}));

        assertThat(config.server().port()).as("server.port = the container port").isEqualTo(containerPort().getContainerPort());
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.instanceId()).as("instance_id from the pod name").isEqualTo(POD_NAME);
        Map<String, String> secretValues = PodFileSystem.values(secret);
        assertThat(config.server().adminToken()).isEqualTo(secretValues.get("admin-token"));
        assertThat(config.clickhouse().password()).isEqualTo(secretValues.get("clickhouse-password"));
        assertThat(config.state().redisPassword()).isEqualTo(secretValues.get("redis-password"));

        // every *_file of the configuration is a key of the Secret, in the folder the pod mounts it at
        List<String> secretFiles = new ArrayList<>();
        collectFileKeys(YAML.readTree(files.hostPath(configPath()).toFile()), secretFiles);
        assertThat(secretFiles).isNotEmpty();
        for (String file : secretFiles) {
            assertThat(files.mountOf(file)).as(file).hasValueSatisfying(m -> assertThat(m.volumeKind()).isEqualTo("secret"));
            assertThat(secretValues).as("the Secret's keys").containsKey(Path.of(file).getFileName().toString());
        }
    }

    @Test
    void probesAskTheHealthEndpointsOnTheConfiguredPortAndEverySelectorFindsThePods() {
        Probe startup = gateway.getStartupProbe();
        Probe liveness = gateway.getLivenessProbe();
        Probe readiness = gateway.getReadinessProbe();
        assertThat(startup.getHttpGet().getPath()).isEqualTo("/v2/health/live");
        assertThat(liveness.getHttpGet().getPath()).isEqualTo("/v2/health/live");
        assertThat(readiness.getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        for (Probe probe : List.of(startup, liveness, readiness)) {
            assertThat(containerPort(probe.getHttpGet().getPort())).isEqualTo(configuredPort());
        }
        // a slow start (models loading and warming up) is the startup probe's, not a liveness restart
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(60);

        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Service service = manifests.one(Service.class);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).containsAllEntriesOf(manifests.one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(port -> assertThat(containerPort(port.getTargetPort())).isEqualTo(configuredPort()));

        ServiceMonitor monitor = manifests.one(ServiceMonitor.class);
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.getPath()).isEqualTo("/metrics");
            assertThat(endpoint.getPort()).isEqualTo(service.getSpec().getPorts().get(0).getName());
        });
        HorizontalPodAutoscaler hpa = manifests.one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).as("the PodDisruptionBudget lets one go: two keep serving").isGreaterThanOrEqualTo(2);
    }

    @Test
    void thePodRunsAsNonRootOnAReadOnlyRootAndWritesOnlyOnItsVolumes(@TempDir Path root) throws IOException {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        var security = gateway.getSecurityContext();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(gateway.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(Quantity.getAmountInBytes(gateway.getResources().getLimits().get("memory")))
                .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(gateway.getResources().getRequests().get("memory")));

        PodFileSystem files = podFileSystem(root, UnaryOperator.identity());
        JsonNode telemetry = YAML.readTree(files.hostPath(configPath()).toFile()).path("telemetry");
        for (String written : List.of(telemetry.path("wal_dir").asText(), telemetry.path("spool_dir").asText(), IMAGE_TMPDIR)) {
            assertThat(written).as("the gateway writes here: an absolute path").startsWith("/");
            assertThat(files.mountOf(written)).as(written + ": on a writable volume, not on the read-only root")
                    .hasValueSatisfying(mount -> assertThat(mount.writable()).isTrue());
        }
    }

    @Test
    void theGracePeriodOutlastsThePreStopPauseAndTheGatewaysDrain(@TempDir Path root) throws IOException {
        long grace = pod.getTerminationGracePeriodSeconds();
        long preStop = gateway.getLifecycle().getPreStop().getSleep().getSeconds();
        long shutdownTimeout = Long.parseLong(argument("--shutdown-timeout-seconds"));
        // ServeCommand bounds the drain (listeners, calls in backends, event flush) and the Vert.x close by
        // the timeout each: the kubelet's SIGKILL must come after both, counted from the end of preStop
        assertThat(grace).isGreaterThan(preStop + 2 * shutdownTimeout);
        assertThat(preStop).as("endpoints are removed while the gateway still serves").isGreaterThanOrEqualTo(5);

        GatewayConfig config = new ConfigLoader(containerEnvironment())
                .load(podFileSystem(root, UnaryOperator.identity()).hostConfig(configPath(), tree -> {}));
        long longestModelMillis = config.models().values().stream().mapToLong(m -> m.timeout().toMillis()).max().orElse(0);
        // the drain waits for calls in a backend up to the longest model deadline + 1 s, then flushes (one insert)
        assertThat(shutdownTimeout * 1000).isGreaterThan(longestModelMillis + 1000 + config.telemetry().insertTimeout().toMillis());
    }

    @Test
    void theHpaMetricIsTheAdaptersRuleOverASeriesOfTheGatewaysTimer() throws IOException {
        HorizontalPodAutoscaler hpa = manifests.one(HorizontalPodAutoscaler.class);
        List<String> podMetrics = hpa.getSpec().getMetrics().stream().filter(m -> m.getType().equals("Pods"))
                .map(MetricSpec::getPods).map(p -> p.getMetric().getName()).toList();
        JsonNode rule = adapterRule();
        assertThat(podMetrics).containsExactly(rule.path("name").path("as").asText());
        String series = adapterSeries(rule);
        assertThat(Pattern.compile(rule.path("name").path("matches").asText()).matcher(series).find()).isTrue();
        assertThat(rule.path("resources").path("overrides").path("pod").path("resource").asText()).isEqualTo("pod");
        assertThat(rule.path("metricsQuery").asText()).contains("rate(<<.Series>>");
        // the series itself is checked on a running gateway's /metrics below
        assertThat(series).isEqualTo("modelgate_requests_seconds_count");
    }

    @Test
    void theGatewayRunWithTheContainersArgumentsAnswersTheProbesAndExportsTheHpaSeries(@TempDir Path root) throws Exception {
        String adminToken = "k8s-test-" + UUID.randomUUID();
        PodFileSystem files = podFileSystem(root, PodEnvironment.secretsForThisMachine(adminToken));
        String keyPrefix = "k8s-test-" + UUID.randomUUID();
        Path config = files.hostConfig(configPath(), tree -> ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("state"))
                .put("key_prefix", keyPrefix)); // the shared Redis: this gateway's leader lease and state apart from others'
        List<String> arguments = new ArrayList<>(gateway.getArgs());
        arguments.set(arguments.indexOf("--config") + 1, config.toString());

        ClickHouse clickHouse = new ClickHouse();
        String database = ClickHouse.uniqueDatabase("k8s");
        Map<String, String> env = new HashMap<>(containerEnvironment());
        // the addresses the cluster's Services have, on this machine
        env.put("MODELGATE_CLICKHOUSE_URL", ClickHouse.URL);
        env.put("MODELGATE_CLICKHOUSE_USER", "default");
        env.put("MODELGATE_CLICKHOUSE_DATABASE", database);
        env.put("MODELGATE_REDIS_URL", System.getenv().getOrDefault("MODELGATE_REDIS_URL", "redis://127.0.0.1:6379"));
        env.put("MODELGATE_ALERTMANAGER_URL", AlertmanagerAlerts.URL);
        GatewayProcess process = GatewayProcess.start(arguments, env, root);
        process.declareSecret(adminToken);
        try {
            InferApi api = new InferApi(process.base);
            for (Probe probe : List.of(gateway.getStartupProbe(), gateway.getLivenessProbe(), gateway.getReadinessProbe())) {
                assertThat(api.get(probe.getHttpGet().getPath()).statusCode()).as(probe.getHttpGet().getPath()).isEqualTo(200);
            }
            HttpResponse<String> inferred = api.post("/v2/models/fraud-score/infer", InferApi.fraudRequest(new float[12], "unit-1"));
            assertThat(inferred.statusCode()).as(inferred.body()).isEqualTo(200);
            assertThat(api.send(HttpRequest.newBuilder(api.uri("/admin/experiments")).header("Authorization", "Bearer " + adminToken))
                    .statusCode()).as("the admin token from the Secret's file").isEqualTo(200);

            String path = manifests.one(ServiceMonitor.class).getSpec().getEndpoints().get(0).getPath();
            String metrics = api.get(path).body();
            Pattern series = Pattern.compile("(?m)^" + Pattern.quote(adapterSeries(adapterRule())) + "\\{[^}]*instance_id=\"" + POD_NAME
                    + "\"[^}]*} [1-9]");
            assertThat(series.matcher(metrics).find()).as("the adapter's series, counting the request, tagged with the pod's name")
                    .isTrue();

            long stopping = System.nanoTime();
            assertThat(process.stop()).as("exit status after SIGTERM (143 = 128 + SIGTERM)").isIn(0, 143);
            long drainSeconds = (System.nanoTime() - stopping) / 1_000_000_000L;
            assertThat(drainSeconds).as("SIGTERM to exit, against --shutdown-timeout-seconds")
                    .isLessThan(Long.parseLong(argument("--shutdown-timeout-seconds")));
            assertThat(process.log()).contains("stopped");
        } finally {
            process.close();
            clickHouse.dropDatabase(database);
        }
    }

    private static PodFileSystem podFileSystem(Path root, UnaryOperator<Map<String, String>> secretValues) throws IOException {
        return PodFileSystem.create(root, pod, gateway, List.of(manifests.one(ConfigMap.class)), List.of(manifests.one(Secret.class)),
                secretValues, IMAGE_FOLDERS);
    }

    private static Map<String, String> containerEnvironment() {
        return PodEnvironment.of(gateway, POD_NAME);
    }

    /** The value after {@code option} in the container's arguments. */
    private static String argument(String option) {
        List<String> args = gateway.getArgs();
        assertThat(args).as("container args").contains(option);
        return args.get(args.indexOf(option) + 1);
    }

    private static String configPath() {
        assertThat(gateway.getArgs()).startsWith("serve");
        return argument("--config");
    }

    private static int configuredPort() {
        return containerPort().getContainerPort();
    }

    private static ContainerPort containerPort() {
        assertThat(gateway.getPorts()).singleElement();
        return gateway.getPorts().get(0);
    }

    /** A probe's or Service's port (a number or the container port's name) as the container port number. */
    private static int containerPort(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return gateway.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal())).getContainerPort();
    }

    private static void collectFileKeys(JsonNode node, List<String> paths) {
        node.fields().forEachRemaining(field -> {
            if (field.getKey().endsWith("_file") && field.getValue().isTextual()) {
                paths.add(field.getValue().asText());
            } else if (field.getValue().isContainerNode()) {
                collectFileKeys(field.getValue(), paths);
            }
        });
    }

    private static JsonNode adapterRule() throws IOException {
        JsonNode rules = YAML.readTree(ADAPTER_CONFIG.toFile()).path("rules");
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }

    /** The metric name a rule's {@code seriesQuery} selects. */
    private static String adapterSeries(JsonNode rule) {
        return rule.path("seriesQuery").asText().replaceAll("\\{.*", "");
    }
}
