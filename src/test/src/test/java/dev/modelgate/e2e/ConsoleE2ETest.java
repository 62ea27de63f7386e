package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 19: the web console in a real browser (Debian's headless Chromium via Selenium) against the
 * assembled gateway, real ClickHouse and the real Alertmanager. An experimenter logs in with the keyboard,
 * creates an A/B test through the form (the API's field error is shown at the field first), the test
 * routes real requests and posts conversions, the results page shows the numbers the API computes with
 * its chart; pause and roll back are confirmed in a dialog and reach routing and the audit trail; shifted
 * traffic then shows a firing drift alert. A second test holds every page under 1 s with 50 experiments.
 * Screenshots of each page land in {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleE2ETest {

    private static final String TOKEN = "console-e2e-token";
    private static final int UNITS = 1_600;
    private static final Map<String, Double> CONVERSION = Map.of("v1", 0.10, "v2", 0.18);
    private static final String EXPERIMENT = "checkout-console";

    /** A model name no earlier run used, so alerts left in Alertmanager by other runs cannot interfere. */
    private final String model = "console-" + UUID.randomUUID().toString().substring(0, 8);
    /** A second model, for the canary and the sample ratio mismatch (one A/B test or canary in force per model). */
    private final String otherModel = model + "-other";
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(19);
    private AlertingGateway gateway;
    private InferApi api;
    private ConsoleBrowser browser;

    @BeforeAll
    void start() throws Exception {
        ConsoleBrowser.assumeInstalled();
        gateway = AlertingGateway.start("console", model, TOKEN, this::config);
        api = gateway.api;
        browser = ConsoleBrowser.open(api.uri("/"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    private Path config(Path dir) throws Exception {
        Path onnx = GatewayProcess.REPO.resolve("demo/fraud-score.onnx");
        String features = String.join(", ", DriftAlertE2ETest.FEATURES);
        String yaml = """
                models:
                  %1$s:
                    timeout_ms: 2000
                    default_variant: v1
                    score_output: fraud_probability
                    variants:
                      v1: {version: "1", backend: {type: onnx, path: "%2$s", device: cpu}, feature_names: {features: [%3$s]}}
                      v2: {version: "2", backend: {type: onnx, path: "%2$s", device: cpu}, feature_names: {features: [%3$s]}}
                  %5$s:
                    timeout_ms: 2000
                    default_variant: v1
                    variants:
                      v1: {version: "1", backend: {type: onnx, path: "%2$s", device: cpu}}
                      v2: {version: "2", backend: {type: onnx, path: "%2$s", device: cpu}}
                server: {max_body_bytes: 4194304}
                telemetry: {flush_interval_ms: 200, spool_dir: "%4$s"}
                experiments: {analysis_interval_ms: 1000, controller_interval_ms: 500}
                drift: {enabled: false, window_minutes: 0.25, min_samples: 200, fire_after: 1, resolve_after: 1, share_threshold: 0.1}
                alerts: {resend_seconds: 60}
                """.formatted(model, onnx, features, dir.resolve("spool"), otherModel);
        Path file = dir.resolve("console.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void anExperimenterRunsAnAbTestAndOnCallSeesDriftInTheBrowser() throws Exception {
        logIn();
        createExperimentThroughTheForm();
        routeRequestsAndPostFeedback();
        resultsShowTheApisNumbersWithTheirChart();
        pauseAndRollBackWithAConfirmation();
        shiftedTrafficShowsAFiringDriftAlert();
        backendsShowReadinessAndLatency();
    }

    /** The login form, by keyboard: a wrong credential is refused in place, the admin token lets in. */
    private void logIn() throws Exception {
        browser.logOut();
        browser.awaitReady("#/login");
        WebElement credential = browser.find("#login-credential");
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("login-credential");
        credential.sendKeys("wrong-token", Keys.ENTER);
        new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> !browser.find("#login-error").getText().isEmpty());
        assertThat(browser.find("#login-error").getText()).contains("401");
        assertThat(credential.getAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("01-login-refused");
        credential.clear();
        credential.sendKeys(TOKEN, Keys.TAB, "Ada", Keys.ENTER);
        browser.awaitReady("#/experiments");
        assertThat(browser.find("h1").getText()).isEqualTo("Experiments");
    }

    private void createExperimentThroughTheForm() throws Exception {
        browser.find("a[href='#/experiments/new']").click();
        browser.awaitReady("#/experiments/new");
        browser.find("[data-field='name']").sendKeys(EXPERIMENT);
        new Select(browser.find("[data-field='model']")).selectByVisibleText(model);
        WebElement weight = browser.find("[data-field='variants[1].weight']");
        weight.clear();
        weight.sendKeys("150");
        clickAddMetric();
        browser.find("[data-field='metrics[0].name']").sendKeys("converted");
        WebElement mde = browser.find("[data-field='metrics[0].minimum_detectable_effect']");
        mde.sendKeys("0.2");
        browser.find("#save").click();

        // the API refuses the weight; its message is shown under that input, which gets the focus
        WebElement error = browser.await("#" + weight.getAttribute("id") + "-error:not(:empty)");
        assertThat(error.getText()).contains("100");
        assertThat(weight.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.script("return document.activeElement.dataset.field")).isEqualTo("variants[1].weight");
        browser.screenshot("02-form-field-error");

        weight.clear();
        weight.sendKeys("50");
        browser.find("#save").click();
        browser.awaitReady("#/experiments/" + EXPERIMENT);
        assertThat(browser.find("#experiment-split").getText()).isEqualTo("v1 50 % · v2 50 %");
        JsonNode stored = api.json(admin("GET", "/admin/experiments/" + EXPERIMENT, null));
        assertThat(stored.at("/spec/metrics/0/name").asText()).isEqualTo("converted");
        assertThat(stored.at("/spec/metrics/0/minimum_detectable_effect").asDouble()).isEqualTo(0.2);
        assertThat(stored.at("/updated_by").asText()).isEqualTo("console:Ada");
    }

    private void clickAddMetric() {
        for (WebElement button : browser.all("button")) {
            if (button.getText().equals("Add a metric")) {
                button.click();
                return;
            }
        }
        throw new AssertionError("no 'Add a metric' button");
    }

    /** Real requests through the experiment, then conversions drawn (seeded) per variant and posted as feedback. */
    private void routeRequestsAndPostFeedback() throws Exception {
        List<String> feedback = new ArrayList<>();
        Set<String> variants = new HashSet<>();
        for (int start = 0; start < UNITS; start += 80) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int unit = start; unit < start + 80; unit++) {
                calls.add(infer("unit-" + unit, 1.0));
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("X-Experiment")).hasValue(EXPERIMENT);
                String variant = response.headers().firstValue("X-Variant").orElseThrow();
                variants.add(variant);
                double converted = random.nextDouble() < CONVERSION.get(variant) ? 1.0 : 0.0;
                feedback.add("{\"request_id\":\"" + response.headers().firstValue("X-Request-Id").orElseThrow()
                        + "\",\"metric\":\"converted\",\"value\":" + converted + "}");
            }
        }
        assertThat(variants).containsExactlyInAnyOrder("v1", "v2");
        for (int from = 0; from < feedback.size(); from += 800) {
            HttpResponse<String> posted = api.post("/v1/feedback", "[" + String.join(",", feedback.subList(from, from + 800)) + "]");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        }
        assertThat(gateway.clickHouse.awaitCount(gateway.database + ".predictions WHERE model = '" + model + "'",
                n -> n >= UNITS, Duration.ofSeconds(20))).isEqualTo(UNITS);
        assertThat(gateway.clickHouse.awaitCount(gateway.database + ".feedback WHERE metric = 'converted'",
                n -> n >= UNITS, Duration.ofSeconds(20))).isEqualTo(UNITS);
    }

    private void resultsShowTheApisNumbersWithTheirChart() throws Exception {
        String page = "#/experiments/" + EXPERIMENT;
        JsonNode results = api.json(admin("GET", "/admin/experiments/" + EXPERIMENT + "/results", null));
        JsonNode metric = results.at("/metrics/0");
        assertThat(metric.path("name").asText()).isEqualTo("converted");
        JsonNode control = metric.at("/variants/0");
        JsonNode treatment = metric.at("/variants/1");
        assertThat(control.path("control").asBoolean()).isTrue();
        // every unit's feedback is in ClickHouse: a run of the analysis job (every second) stored after that has
        // the API's numbers, and the chart over time ends on them (reloaded until such a run is stored)
        double difference = treatment.path("estimate").asDouble() - control.path("estimate").asDouble();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode last = null;
        do {
            browser.reload(page);
            List<WebElement> chart = browser.all("#metric-converted figure.over-time");
            last = chart.isEmpty() ? null : json.readTree(chart.get(0).getAttribute("data-last")).path(0);
        } while ((last == null || Math.abs(last.path("value").asDouble() - difference) > 1e-12) && awaitBriefly(deadline));
        assertThat(last).as("the chart over time").isNotNull();
        assertThat(last.path("label").asText()).isEqualTo("v2 − v1");
        assertThat(last.path("value").asDouble()).isCloseTo(difference, within(1e-12));
        assertThat(last.path("low").asDouble()).isCloseTo(treatment.at("/difference/ci_low").asDouble(), within(1e-12));
        assertThat(last.path("high").asDouble()).isCloseTo(treatment.at("/difference/ci_high").asDouble(), within(1e-12));
        assertThat(browser.await("#metric-converted figure.over-time .uplot canvas").isDisplayed()).isTrue();

        assertThat(browser.find("#srm-state").getText()).contains("no sample ratio mismatch");
        for (JsonNode variant : metric.path("variants")) {
            String name = variant.path("variant").asText();
            List<String> cells = rowOf("table.results-table[data-metric='converted']", name);
            assertThat(cells.get(1)).as("units of " + name).isEqualTo(variant.path("n").asText());
            assertThat(cells.get(2)).as("rate of " + name).isEqualTo(String.format(Locale.ROOT, "%.2f %%", 100 * variant.path("estimate").asDouble()));
            if (!variant.path("control").asBoolean()) {
                JsonNode lift = variant.path("lift");
                assertThat(cells.get(3)).isEqualTo(signedPercent(lift.path("estimate").asDouble()));
                assertThat(cells.get(4)).isEqualTo("[" + signedPercent(lift.path("ci_low").asDouble()) + ", "
                        + signedPercent(lift.path("ci_high").asDouble()) + "]");
                assertThat(cells.get(7)).isEqualTo(pValue(variant.path("p_value").asDouble()));
                assertThat(cells.get(9)).isEqualTo(pValue(variant.at("/sequential/p_value").asDouble()));
                assertThat(cells.get(11)).isEqualTo(String.format(Locale.ROOT, "%.1f %%", 100 * variant.path("chance_to_beat").asDouble()));
                // the chart's point and interval are the API's lift
                WebElement point = browser.find("svg.forest g.forest-row[data-variant='" + name + "']");
                assertThat(Double.parseDouble(point.getAttribute("data-estimate"))).isCloseTo(lift.path("estimate").asDouble(), within(1e-12));
                assertThat(Double.parseDouble(point.getAttribute("data-ci-low"))).isCloseTo(lift.path("ci_low").asDouble(), within(1e-12));
                assertThat(Double.parseDouble(point.getAttribute("data-ci-high"))).isCloseTo(lift.path("ci_high").asDouble(), within(1e-12));
                assertThat(point.getAttribute("aria-label")).contains(signedPercent(lift.path("estimate").asDouble()));
            }
        }
        String decision = results.at("/decisions/0/decision").asText();
        assertThat(browser.find("#decisions li[data-variant='v2']").getText()).contains(decision.replace('_', ' '));
        assertThat(browser.find("#progress-converted").getAttribute("max"))
                .isEqualTo(metric.at("/plan/required_per_variant").asText());
        browser.screenshot("03-experiment-results");

        browser.go("#/experiments");
        browser.awaitReady("#/experiments");
        List<String> row = rowOf("#experiments-table", EXPERIMENT);
        assertThat(row.get(1)).isEqualTo("ab");
        assertThat(row.get(4)).isEqualTo("v1 50 % · v2 50 %");
        new WebDriverWait(browser.driver, Duration.ofSeconds(20))
                .until(d -> rowOf("#experiments-table", EXPERIMENT).get(5).equals("ok"));
        browser.screenshot("04-experiments");
    }

    private void pauseAndRollBackWithAConfirmation() throws Exception {
        String page = "#/experiments/" + EXPERIMENT;
        browser.go(page);
        browser.awaitReady(page);
        // Escape cancels: nothing changes
        browser.find("#action-pause").click();
        WebElement dialog = browser.await("dialog[open]");
        assertThat(browser.script("return document.activeElement.textContent")).isEqualTo("Cancel");
        dialog.sendKeys(Keys.ESCAPE);
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(d -> browser.all("dialog[open]").isEmpty());
        assertThat(api.json(admin("GET", "/admin/experiments/" + EXPERIMENT, null)).at("/spec/status").asText()).isEqualTo("running");

        // confirmed with the keyboard
        browser.find("#action-pause").click();
        browser.await("dialog[open]");
        browser.script("document.activeElement.blur()");
        browser.find("dialog[open] button.danger, dialog[open] button[value='confirm']").sendKeys(Keys.ENTER);
        browser.awaitReady(page);
        new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> browser.find("#experiment-status").getText().equals("paused"));
        assertThat(api.json(admin("GET", "/admin/experiments/" + EXPERIMENT, null)).at("/spec/status").asText()).isEqualTo("paused");

        browser.find("#action-rollback").click();
        assertThat(browser.await("dialog[open]").getText()).contains("Everyone gets the default variant v1");
        browser.find("dialog[open] button[value='confirm']").click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(d -> browser.find("#experiment-split").getText().equals("v1 100 % · v2 0 %"));
        for (int unit = 0; unit < 20; unit++) {
            HttpResponse<String> response = infer("unit-" + unit, 1.0).get(10, TimeUnit.SECONDS);
            assertThat(response.headers().firstValue("X-Variant")).hasValue("v1");
        }
        // the audit trail names the console's user for each change (rows reach ClickHouse within a flush)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        do {
            browser.reload(page);
        } while (browser.all("#audit-table tbody tr").size() < 3 && awaitBriefly(deadline));
        List<String> actions = new ArrayList<>();
        for (WebElement tr : browser.all("#audit-table tbody tr")) {
            List<WebElement> cells = tr.findElements(org.openqa.selenium.By.tagName("td"));
            assertThat(cells.get(1).getText()).isEqualTo("console:Ada");
            actions.add(cells.get(2).getText());
        }
        assertThat(actions).containsExactly("rollback", "pause", "put");
        browser.screenshot("05-experiment-rolled-back");
    }

    private void shiftedTrafficShowsAFiringDriftAlert() throws Exception {
        HttpResponse<String> reference = api.admin(TOKEN, "e2e", "PUT", "/admin/models/" + model + "/reference",
                DriftAlertE2ETest.referenceRows(json, random, 2_000));
        assertThat(reference.statusCode()).as(reference.body()).isEqualTo(201);
        long before = gateway.clickHouse.count(gateway.database + ".predictions WHERE model = '" + model + "'");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            calls.add(infer(null, 3.0));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(gateway.clickHouse.awaitCount(gateway.database + ".predictions WHERE model = '" + model + "'",
                n -> n >= before + 400, Duration.ofSeconds(20))).isEqualTo(before + 400);

        String page = "#/drift/" + model;
        browser.find("nav a[href='#/drift']").click();
        browser.awaitReady("#/drift");
        browser.go(page);
        browser.awaitReady(page);
        browser.find("#drift-run").click();
        WebElement alert = browser.await("#drift-v1-alert");
        assertThat(alert.getText()).contains("Drift alert firing").contains("amount");
        browser.awaitReady(page);
        assertThat(browser.find("#drift-v1 .verdict").getText()).isEqualTo("drift");
        assertThat(browser.find("#drift-v1 .alert-state").getText()).isEqualTo("firing");
        List<String> amount = rowOf("table.features-table[data-variant='v1']", "amount");
        assertThat(amount.get(6)).isEqualTo("drifted");
        JsonNode run = null;
        for (JsonNode variant : api.json(admin("GET", "/admin/models/" + model + "/drift", null)).path("variants")) {
            if (variant.path("variant").asText().equals("v1")) {
                run = variant;
            }
        }
        assertThat(run).as("v1's run").isNotNull();
        JsonNode amountRun = null;
        for (JsonNode feature : run.path("features")) {
            if (feature.path("feature").asText().equals("amount")) {
                amountRun = feature;
            }
        }
        assertThat(amountRun).isNotNull();
        assertThat(amount.get(1)).isEqualTo(amountRun.path("method").asText());
        assertThat(amount.get(2)).isEqualTo(String.format(Locale.ROOT, "%.4f", amountRun.path("statistic").asDouble()));
        // the reference vs current histogram of the first drifted feature is drawn
        assertThat(browser.await("#drift-v1 .histogram .uplot canvas").isDisplayed()).isTrue();
        browser.screenshot("06-drift-alert");
        // the histograms' endpoint as the page reads it, and its refusals
        JsonNode histograms = api.json(admin("GET", "/admin/models/" + model + "/drift/histograms?variant=v1", null));
        assertThat(histograms.path("run_id").asText()).isEqualTo(run.path("run_id").asText());
        assertThat(histograms.path("features").findValuesAsText("feature")).containsAll(DriftAlertE2ETest.FEATURES);
        assertThat(admin("GET", "/admin/models/" + model + "/drift/histograms?variant=v9", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/models/nope/drift/histograms?variant=v1", null).statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/admin/experiments/" + EXPERIMENT + "/decisions?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(gateway.alerts.await(1).get(0).at("/labels/alertname").asText()).isEqualTo("ModelDrift");
    }

    private void backendsShowReadinessAndLatency() throws Exception {
        browser.find("nav a[href='#/backends']").click();
        browser.awaitReady("#/backends");
        List<String> v1 = rowOf("#backends-table", model, "v1");
        assertThat(v1.get(3)).isEqualTo("ready");
        assertThat(Long.parseLong(v1.get(6))).isGreaterThanOrEqualTo(UNITS / 2);
        assertThat(v1.get(7)).endsWith(" ms");
        browser.screenshot("07-backends");
    }

    /** A canary's steps and decisions with their evidence on its timeline; then an SRM alarm hides an A/B test's results. */
    @Test
    void aCanaryShowsItsTimelineAndASampleRatioMismatchBlocksTheResults() throws Exception {
        HttpResponse<String> canary = admin("PUT", "/admin/experiments/console-canary", """
                {"kind": "canary", "model": "%s", "baseline": "v1", "candidate": "v2", "steps": [10, 50, 100],
                 "min_step_duration_seconds": 1, "min_requests_per_step": 20,
                 "gates": {"max_error_rate_increase": 1.0, "max_p99_latency_ratio": 50}}""".formatted(otherModel));
        assertThat(canary.statusCode()).as(canary.body()).isEqualTo(201);
        // traffic until the controller has advanced at least once (it decides every 500 ms from ClickHouse)
        JsonNode decisions = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int round = 0; System.nanoTime() < deadline; round++) {
            sendTo(otherModel, "canary-" + round + "-", 100, 1.0);
            decisions = api.json(admin("GET", "/admin/experiments/console-canary/decisions", null)).path("rows");
            if (decisions.findValuesAsText("action").contains("advance")) {
                break;
            }
        }
        assertThat(decisions.findValuesAsText("action")).contains("advance");
        // no more traffic: once the controller has read what was sent (flushes every 200 ms), the state holds
        Thread.sleep(2_000);
        decisions = api.json(admin("GET", "/admin/experiments/console-canary/decisions", null)).path("rows");
        JsonNode state = api.json(admin("GET", "/admin/experiments/console-canary", null)).path("canary");
        int[] steps = {10, 50, 100};

        browser.logOut();
        browser.awaitReady("#/login");
        browser.find("#login-credential").sendKeys(TOKEN, Keys.ENTER);
        browser.awaitReady("#/experiments");
        String page = "#/experiments/console-canary";
        browser.go(page);
        browser.awaitReady(page);
        assertThat(browser.find("#canary-state").getText()).startsWith("Step " + (state.path("step_index").asInt() + 1) + " of 3: v2 at "
                + state.path("weight_percent").asText().replaceAll("\\.0$", "") + " %");
        assertThat(browser.find("ol.steps li[aria-current='step']").getText()).isEqualTo(steps[state.path("step_index").asInt()] + " %");
        // newest first, as many as the API holds (more may have been made since it was read)
        List<WebElement> entries = browser.all("#canary-timeline > li");
        assertThat(entries.size()).isGreaterThanOrEqualTo(decisions.size());
        WebElement advance = entries.stream().filter(li -> li.findElement(org.openqa.selenium.By.cssSelector(".badge")).getText().equals("advance"))
                .reduce((newer, older) -> older).orElseThrow();
        JsonNode firstAdvance = null;
        for (JsonNode row : decisions) {
            if (row.path("action").asText().equals("advance")) {
                firstAdvance = row; // rows are newest first: the last one seen is the first advance
            }
        }
        assertThat(advance.getText()).contains(firstAdvance.path("reason").asText()).contains("time_in_step_seconds");
        browser.screenshot("08-canary-timeline");
        // once promoted (by the controller reaching 100 %, or by hand here) only the emergency exit is offered
        if (!api.json(admin("GET", "/admin/experiments/console-canary", null)).at("/canary/status").asText().equals("promoted")) {
            assertThat(admin("POST", "/admin/experiments/console-canary/promote", null).statusCode()).isEqualTo(200);
        }
        browser.go(page);
        browser.awaitReady(page);
        assertThat(browser.find("#actions-finished").getText()).contains("over (promoted)");
        assertThat(browser.all("#action-rollback")).hasSize(1);
        assertThat(browser.all("#action-promote")).isEmpty();
        assertThat(browser.all("#action-pause")).isEmpty();

        // an A/B test whose units do not follow its weights: the results hide behind a banner until acknowledged
        assertThat(admin("DELETE", "/admin/experiments/console-canary", null).statusCode()).isEqualTo(204);
        String ab = """
                {"kind": "ab", "model": "%s", "variants": [{"name": "v1", "weight": %d}, {"name": "v2", "weight": %d}],
                 "metrics": [{"name": "converted", "kind": "binary"}]}""";
        assertThat(admin("PUT", "/admin/experiments/console-srm", ab.formatted(otherModel, 50, 50)).statusCode()).isEqualTo(201);
        sendTo(otherModel, "srm-", 300, 1.0);
        assertThat(gateway.clickHouse.awaitCount(gateway.database + ".predictions WHERE experiment = 'console-srm'",
                n -> n >= 300, Duration.ofSeconds(20))).isEqualTo(300);
        assertThat(admin("PUT", "/admin/experiments/console-srm", ab.formatted(otherModel, 90, 10)).statusCode()).isEqualTo(200);
        JsonNode srm = api.json(admin("GET", "/admin/experiments/console-srm/results", null)).path("srm");
        assertThat(srm.path("alarm").asBoolean()).isTrue();

        page = "#/experiments/console-srm";
        browser.go(page);
        browser.awaitReady(page);
        WebElement banner = browser.find("#srm-banner");
        assertThat(banner.getAttribute("role")).isEqualTo("alert");
        assertThat(banner.getText()).contains("Sample ratio mismatch").contains("v1: 90 %")
                .contains("v1: " + srm.at("/units/v1").asText()).contains("v2: " + srm.at("/units/v2").asText());
        assertThat(browser.script("return document.getElementById('results-body').inert")).isEqualTo(true);
        browser.screenshot("09-srm-banner");
        browser.find("#srm-acknowledge").sendKeys(Keys.ENTER);
        assertThat(browser.script("return document.getElementById('results-body').inert")).isEqualTo(false);
        assertThat(rowOf("table.results-table[data-metric='converted']", "v2").get(1)).isEqualTo(srm.at("/units/v2").asText());
    }

    /** {@code count} requests to {@code model}, one unit each, all answered 200. */
    private void sendTo(String target, String unitPrefix, int count, double shift) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int unit = 0; unit < count; unit++) {
            float[] features = ServeAndLogE2ETest.randomTransaction(random);
            features[0] *= (float) shift;
            calls.add(api.postAsync("/v2/models/" + target + "/infer", InferApi.fraudRequest(features, unitPrefix + unit)));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    /** Every console page renders in under a second with 50 experiments, after a first (warming) visit. */
    @Test
    void everyPageLoadsInUnderASecondWithFiftyExperiments() throws Exception {
        for (int i = 0; i < 50; i++) {
            String spec = """
                    {"kind": "ab", "model": "%s", "status": "completed",
                     "variants": [{"name": "v1", "weight": 50}, {"name": "v2", "weight": 50}],
                     "metrics": [{"name": "converted", "kind": "binary"}]}""".formatted(model);
            HttpResponse<String> created = admin("PUT", "/admin/experiments/bulk-" + String.format("%02d", i), spec);
            assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        }
        browser.logOut();
        browser.awaitReady("#/login");
        browser.find("#login-credential").sendKeys(TOKEN, Keys.ENTER);
        browser.awaitReady("#/experiments");
        assertThat(browser.all("#experiments-table tbody tr").size()).isGreaterThanOrEqualTo(50);

        List<String> pages = List.of("#/experiments", "#/experiments/bulk-07", "#/drift/" + model, "#/backends");
        pages.forEach(page -> {
            browser.go(page);
            browser.awaitReady(page); // warm: the JIT, ClickHouse's caches, the browser's module cache
        });
        Map<String, Long> renderMs = new LinkedHashMap<>();
        for (String page : pages) {
            long started = System.nanoTime();
            browser.go(page);
            long rendered = browser.awaitReady(page);
            renderMs.put(page, Math.max(rendered, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        }
        browser.reload("#/backends");
        browser.go("#/experiments");
        browser.awaitReady("#/experiments");
        browser.reload("#/experiments");
        long fullLoad = Long.parseLong(browser.find("body").getAttribute("data-ready-at"));
        System.out.println("console page times with 50 experiments (ms): " + renderMs + ", full load of the list " + fullLoad);
        renderMs.forEach((page, ms) -> assertThat(ms).as(page).isLessThan(1_000));
        assertThat(fullLoad).as("a full load of the experiments list, from navigation to rendered").isLessThan(1_000);
    }

    private CompletableFuture<HttpResponse<String>> infer(String unit, double shift) {
        float[] features = ServeAndLogE2ETest.randomTransaction(random);
        features[0] *= (float) shift;
        features[4] *= (float) shift;
        return api.postAsync("/v2/models/" + model + "/infer", InferApi.fraudRequest(features, unit));
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return api.admin(TOKEN, "e2e", method, path, body);
    }

    /** The cells' text of the first row of {@code table} whose leading cells start with {@code keys}. */
    private List<String> rowOf(String table, String... keys) {
        for (WebElement tr : browser.all(table + " tbody tr")) {
            List<String> cells = tr.findElements(org.openqa.selenium.By.tagName("td")).stream().map(WebElement::getText).toList();
            boolean matches = cells.size() >= keys.length;
            for (int i = 0; matches && i < keys.length; i++) {
                matches = cells.get(i).equals(keys[i]) || cells.get(i).startsWith(keys[i] + " ");
            }
            if (matches) {
                return cells;
            }
        }
        throw new AssertionError("no row " + List.of(keys) + " in " + table);
    }

    private static boolean awaitBriefly(long deadlineNanos) throws InterruptedException {
        if (System.nanoTime() > deadlineNanos) {
            return false;
        }
        Thread.sleep(1_000);
        return true;
    }

    private static String signedPercent(double value) {
        return String.format(Locale.ROOT, "%s%.2f %%", value >= 0 ? "+" : "", 100 * value);
    }

    private static String pValue(double value) {
        return value < 0.0001 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", value);
    }
}
