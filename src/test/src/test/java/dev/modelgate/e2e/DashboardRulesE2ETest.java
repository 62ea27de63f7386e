package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.e2e.dashboards.CommandLineTool;
import dev.modelgate.e2e.dashboards.PromQlMetricNames;
import dev.modelgate.e2e.dashboards.PrometheusRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alerting configuration under dashboards/ as Prometheus and Alertmanager will load it: promtool
 * accepts the rules and passes their unit tests, every alert is tested both firing and silent, and
 * amtool accepts the Alertmanager example and routes each alert where on-call expects it.
 * Needs promtool and amtool on the PATH (scripts/tools.sh installs them).
 */
class DashboardRulesE2ETest {

    private static final Path DASHBOARDS = GatewayProcess.REPO.resolve("dashboards");
    private static final Path RULES = DASHBOARDS.resolve("prometheus/rules");
    private static final Path RULE_TESTS = DASHBOARDS.resolve("prometheus/tests");
    private static final Path ALERTMANAGER_CONFIG = DASHBOARDS.resolve("alertmanager/alertmanager.yml");
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

    private final CommandLineTool promtool = new CommandLineTool("promtool", TOOL_TIMEOUT);
    private final CommandLineTool amtool = new CommandLineTool("amtool", TOOL_TIMEOUT);

    @Test
    void promtoolAcceptsEveryRuleFile() throws Exception {
        List<String> arguments = new ArrayList<>(List.of("check", "rules"));
        arguments.addAll(ymlFiles(RULES));
        CommandLineTool.Result result = promtool.run(RULES, arguments.toArray(String[]::new));
        assertThat(result.succeeded()).as(result.describe()).isTrue();
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        List<String> arguments = new ArrayList<>(List.of("test", "rules"));
        arguments.addAll(ymlFiles(RULE_TESTS));
        CommandLineTool.Result result = promtool.run(RULE_TESTS, arguments.toArray(String[]::new));
        assertThat(result.succeeded()).as(result.describe()).isTrue();
    }

    @Test
    void everyAlertHasUnitTestsWhereItFiresAndWhereItStaysSilent() throws Exception {
        Set<String> firing = new HashSet<>();
        Set<String> silent = new HashSet<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String file : ymlFiles(RULE_TESTS)) {
            for (JsonNode test : yaml.readTree(RULE_TESTS.resolve(file).toFile()).path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    String alert = check.path("alertname").asText();
                    (check.path("exp_alerts").isEmpty() ? silent : firing).add(alert);
                }
            }
        }
        for (String alert : alertNames()) {
            assertThat(firing).as("a promtool test where %s fires", alert).contains(alert);
            assertThat(silent).as("a promtool test where %s stays silent", alert).contains(alert);
        }
    }

    @Test
    void everyAlertCarriesSeverityAndTheTextOnCallNeeds() throws Exception {
        for (String file : ymlFiles(RULES)) {
            for (PrometheusRules.Rule alert : PrometheusRules.load(RULES.resolve(file)).alerts()) {
                assertThat(alert.labels().get("severity")).as("severity of %s in %s", alert.name(), file).isIn("critical", "warning");
                assertThat(alert.annotations()).as("annotations of %s in %s", alert.name(), file)
                        .containsKeys("summary", "description", "runbook");
            }
        }
    }

    @Test
    void metricNamesAreFoundInSelectorsButNotInFunctionsLabelsOrGroupings() {
        // the extractor decides which metrics the live test demands from /metrics: it must neither miss
        // a selector nor mistake a function, label, grouping or duration for one
        assertThat(PromQlMetricNames.of("sum by (model) (rate(a_total{status=~\"5..\", le=\"0.25\"}[5m])) / ignoring(x) b:rec:ratio"
                + " > 0.05 and on(model) increase(c_seconds_count[1h] offset 5m) >= 5 or vector(1) unless d"))
                .containsExactly("a_total", "b:rec:ratio", "c_seconds_count", "d");
    }

    @Test
    void amtoolAcceptsTheAlertmanagerExample() throws Exception {
        CommandLineTool.Result result = amtool.run(ALERTMANAGER_CONFIG.getParent(), "check-config", ALERTMANAGER_CONFIG.toString());
        assertThat(result.succeeded()).as(result.describe()).isTrue();
    }

    @Test
    void experimentAlertsReachTheExperimentersAndEveryOtherAlertOnCall() throws Exception {
        List<PrometheusRules.Rule> alerts = new ArrayList<>();
        for (String file : ymlFiles(RULES)) {
            alerts.addAll(PrometheusRules.load(RULES.resolve(file)).alerts());
        }
        assertThat(alerts).extracting(PrometheusRules.Rule::name)
                .contains("ModelDrift", "ModelGateCircuitBreakerOpen", "ExperimentSampleRatioMismatch");
        for (PrometheusRules.Rule alert : alerts) {
            String receiver = alert.name().startsWith("Experiment") ? "experiments-webhook" : "oncall-webhook";
            assertRoutedTo(receiver, "alertname=" + alert.name(), "severity=" + alert.labels().get("severity"));
        }
        assertRoutedTo("default", "alertname=SomeoneElsesAlert", "severity=critical");
    }

    private void assertRoutedTo(String receiver, String... labels) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + ALERTMANAGER_CONFIG,
                "--verify.receivers=" + receiver));
        arguments.addAll(List.of(labels));
        CommandLineTool.Result result = amtool.run(ALERTMANAGER_CONFIG.getParent(), arguments.toArray(String[]::new));
        assertThat(result.succeeded()).as("%s should go to %s: %s", List.of(labels), receiver, result.describe()).isTrue();
    }

    private static Set<String> alertNames() throws IOException {
        Set<String> names = new HashSet<>();
        for (String file : ymlFiles(RULES)) {
            PrometheusRules.load(RULES.resolve(file)).alerts().forEach(alert -> names.add(alert.name()));
        }
        return names;
    }

    private static List<String> ymlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
            assertThat(names).as("rule files in %s", dir).isNotEmpty();
            return names;
        }
    }
}
