package dev.modelgate.gateway.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.modelgate.drift.rules.AlertState;
import dev.modelgate.drift.rules.AlertTransition;
import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.gateway.config.DriftConfig;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor against a real ClickHouse: verdicts, the rule's hysteresis, outages, reports, metrics, leadership. */
class DriftMonitorTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final DriftTarget V1 = new DriftTarget("m", "v1", List.of("a", "b"), List.of("p"));
    private static final DriftTarget V2 = new DriftTarget("m", "v2", List.of("a", "b"), List.of("p"));

    private final Random random = new Random(5);
    private final List<DriftRun> notified = new CopyOnWriteArrayList<>();
    private final List<DriftReportRow> reports = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicBoolean leader = new AtomicBoolean(true);
    private TestClickHouse clickHouse;
    private LoggedPredictions log;
    private Instant now = Instant.parse("2026-03-01T12:00:00Z");
    private DriftMonitor monitor;

    @BeforeEach
    void setUp() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
        new ClickHouseSchema(DriftTables.ALL).apply(clickHouse.connection());
        log = new LoggedPredictions(clickHouse.connection(), clickHouse.predictions());
        ReferenceBuilder reference = new ReferenceBuilder(V1.columns(), new Random(1));
        for (int i = 0; i < 2_000; i++) {
            reference.accept(row(0.0));
        }
        new ReferenceStore(clickHouse.connection(), Clock.fixed(now, ZoneOffset.UTC)).save("m", "v1", "test", 2_000, reference.build());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        clickHouse.close();
    }

    @Test
    void firesAfterTwoDriftedWindowsHoldsThroughAnOutageAndResolvesWhenTrafficIsNormalAgain() throws Exception {
        monitor = monitor(false, Duration.ofHours(1));

        DriftRun normal = runWindow(0.0, 1_500);
        assertThat(normal.verdict()).isEqualTo(WindowVerdict.NO_DRIFT);
        assertThat(normal.alertState().state()).isEqualTo(AlertState.OK);

        DriftRun firstShift = runWindow(1.0, 1_500);
        assertThat(firstShift.verdict()).isEqualTo(WindowVerdict.DRIFT);
        assertThat(firstShift.alertState().state()).isEqualTo(AlertState.PENDING);
        assertThat(firstShift.transition()).isEqualTo(AlertTransition.NONE);

        DriftRun secondShift = runWindow(1.0, 1_500);
        assertThat(secondShift.transition()).isEqualTo(AlertTransition.FIRED);
        assertThat(secondShift.dataset().orElseThrow().features())
                .filteredOn(f -> f.feature().equals("a")).singleElement()
                .satisfies(f -> assertThat(f.drifted()).isTrue());

        clickHouse.connection().execute("RENAME TABLE " + clickHouse.predictions() + " TO " + clickHouse.predictions() + "_away");
        DriftRun outage = runWindow(Double.NaN, 0);
        clickHouse.connection().execute("RENAME TABLE " + clickHouse.predictions() + "_away TO " + clickHouse.predictions());
        assertThat(outage.verdict()).isEqualTo(WindowVerdict.UNKNOWN);
        assertThat(outage.reason()).startsWith("ClickHouse unavailable");
        assertThat(outage.alertState().state()).isEqualTo(AlertState.FIRING);

        DriftRun back = runWindow(0.0, 1_500);
        assertThat(back.verdict()).isEqualTo(WindowVerdict.NO_DRIFT);
        assertThat(back.transition()).isEqualTo(AlertTransition.RESOLVED);

        assertThat(notified).extracting(DriftRun::transition).containsExactly(AlertTransition.NONE, AlertTransition.NONE,
                AlertTransition.FIRED, AlertTransition.NONE, AlertTransition.RESOLVED);
        assertThat(runs("no_drift")).isEqualTo(2);
        assertThat(runs("drift")).isEqualTo(2);
        assertThat(runs("unknown")).isEqualTo(1);
        assertThat(registry.get("modelgate.drift.firing").tags("model", "m", "variant", "v1").gauge().value()).isZero();
        assertThat(registry.get("modelgate.drift.statistic").tags("feature", "a", "method", "wasserstein_normed").gauge().value())
                .isEqualTo(back.dataset().orElseThrow().features().stream().filter(f -> f.feature().equals("a")).findFirst().orElseThrow().statistic());
    }

    @Test
    void aMonitorThatTakesOverContinuesTheAlertInsteadOfFiringItAgain() throws Exception {
        monitor = monitor(false, Duration.ofHours(1));
        runWindow(1.0, 1_500);
        assertThat(runWindow(1.0, 1_500).transition()).isEqualTo(AlertTransition.FIRED);
        monitor.close();

        monitor = monitor(false, Duration.ofHours(1)); // e.g. another replica, after the lease moved
        DriftRun stillDrifting = runWindow(1.0, 1_500);
        DriftRun clean = runWindow(0.0, 1_500);

        assertThat(stillDrifting.alertState().state()).isEqualTo(AlertState.FIRING);
        assertThat(stillDrifting.transition()).isEqualTo(AlertTransition.NONE);
        assertThat(clean.transition()).isEqualTo(AlertTransition.RESOLVED);
    }

    @Test
    void everyRunIsReportedPerFeaturePlusOneDatasetRowCarryingTheVerdict() throws Exception {
        monitor = monitor(false, Duration.ofHours(1));

        DriftRun run = runWindow(1.0, 1_500);
        DriftRun outage = runFailing();

        assertThat(reports).filteredOn(r -> r.runId().equals(run.runId()))
                .extracting(DriftReportRow::feature).containsExactlyInAnyOrder("a", "b", "p", DriftReportRow.DATASET);
        assertThat(reports).filteredOn(r -> r.runId().equals(run.runId())).allSatisfy(r -> {
            assertThat(r.verdict()).isEqualTo("drift");
            assertThat(r.window()).isEqualTo(run.window());
        });
        assertThat(reports).filteredOn(r -> r.runId().equals(outage.runId())).singleElement()
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("unknown"));
    }

    @Test
    void aRunReadBackFromClickHouseHasEveryFieldAndValueOfTheLiveAnswer() throws Exception {
        monitor = monitor(false, Duration.ofHours(1));
        DriftRun run = runWindow(1.0, 500); // at most 1,000 rows: KS and chi-square, tests with p-values

        JsonObject live = DriftRunJson.of(run);
        JsonObject stored = new ReportHistory(clickHouse.connection()).latestRuns("m").getJsonObject(0);

        assertThat(live.getJsonArray("features")).extracting(f -> ((JsonObject) f).getString("method"))
                .contains("kolmogorov_smirnov", "chi_square");
        assertSameJson("", stored, live);
    }

    /**
     * Equal field by field; numbers within a few ulps, since ClickHouse 18.16's fast float parser may round
     * the last bit of a stored double differently.
     */
    private static void assertSameJson(String path, Object stored, Object live) {
        if (live instanceof JsonObject object) {
            assertThat(stored).as(path).isInstanceOf(JsonObject.class);
            assertThat(((JsonObject) stored).fieldNames()).as(path).containsExactlyInAnyOrderElementsOf(object.fieldNames());
            object.fieldNames().forEach(name -> assertSameJson(path + "." + name, ((JsonObject) stored).getValue(name), object.getValue(name)));
        } else if (live instanceof JsonArray array) {
            assertThat(stored).as(path).isInstanceOf(JsonArray.class);
            assertThat(((JsonArray) stored).size()).as(path).isEqualTo(array.size());
            for (int i = 0; i < array.size(); i++) {
                assertSameJson(path + "[" + i + "]", ((JsonArray) stored).getValue(i), array.getValue(i));
            }
        } else if (live instanceof Double number) {
            assertThat(((Number) stored).doubleValue()).as(path).isCloseTo(number, withinPercentage(1e-12));
        } else if (live instanceof Number number) {
            assertThat(((Number) stored).longValue()).as(path).isEqualTo(number.longValue());
        } else {
            assertThat(stored).as(path).isEqualTo(live);
        }
    }

    @Test
    void windowsWithTooFewValuesAndVariantsWithoutReferenceAreUnknownNotClean() throws Exception {
        monitor = monitor(false, Duration.ofHours(1));
        log.add(now.minusSeconds(5), "m", "v2", "primary", 200, Map.of("a", 0.0), Map.of()).flush();

        List<DriftRun> runs = runAll(1.0, 50);

        assertThat(runs).extracting(DriftRun::variant).containsExactly("v1", "v2");
        assertThat(runs.get(0).verdict()).isEqualTo(WindowVerdict.UNKNOWN);
        assertThat(runs.get(0).reason()).contains("too few values");
        assertThat(runs.get(1).verdict()).isEqualTo(WindowVerdict.UNKNOWN);
        assertThat(runs.get(1).reason()).contains("no reference");
    }

    @Test
    void scheduledRunsHappenOnlyWhileThisReplicaLeads() throws Exception {
        leader.set(false);
        monitor = monitor(true, Duration.ofSeconds(1));
        monitor.start();

        Thread.sleep(1_600);
        assertThat(notified).isEmpty();

        leader.set(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (notified.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(notified).isNotEmpty();
        assertThat(monitor.lastRuns("m")).extracting(DriftRun::variant).contains("v1");
    }

    private DriftMonitor monitor(boolean enabled, Duration interval) {
        DriftConfig config = new DriftConfig(enabled, interval, WINDOW, 100, 2, 1, 0.3, 5_000, Map.of(), Duration.ofSeconds(10));
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        PredictionQueries queries = new PredictionQueries(clickHouse.predictions());
        return new DriftMonitor(List.of(V1, V2), new ReferenceStore(clickHouse.connection(), clock),
                new WindowReader(clickHouse.connection(), queries, 5_000), new ReportHistory(clickHouse.connection()), config,
                this::report, new DriftMetrics(registry), notified::add, leader::get, clock, "test");
    }

    /** Keeps the row for assertions and stores it, as the gateway's batch writer would. */
    private void report(DriftReportRow row) {
        reports.add(row);
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            DriftReportEncoder encoder = new DriftReportEncoder();
            encoder.encode(row, out);
            clickHouse.connection().insert(clickHouse.settings().qualify(DriftTables.DRIFT_REPORTS.name()),
                    encoder.format(), new ByteArrayInputStream(out.toByteArray()));
        } catch (IOException | ClickHouseCallException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves to the next window, logs {@code rows} predictions shifted by {@code shift}, and runs v1. */
    private DriftRun runWindow(double shift, int rows) throws Exception {
        return runAll(shift, rows).get(0);
    }

    private List<DriftRun> runAll(double shift, int rows) throws Exception {
        now = now.plus(WINDOW);
        for (int i = 0; i < rows; i++) {
            Map<String, Double> row = row(shift);
            log.add(now.minusMillis(1 + i * 300L), "m", "v1", "primary", 200,
                    Map.of("a", row.get("a"), "b", row.get("b")), Map.of("p", row.get("p")));
        }
        if (rows > 0) {
            log.flush();
        }
        return monitor.runNow("m").get(30, TimeUnit.SECONDS);
    }

    private DriftRun runFailing() throws Exception {
        clickHouse.connection().execute("RENAME TABLE " + clickHouse.predictions() + " TO " + clickHouse.predictions() + "_away");
        try {
            return runWindow(Double.NaN, 0);
        } finally {
            clickHouse.connection().execute("RENAME TABLE " + clickHouse.predictions() + "_away TO " + clickHouse.predictions());
        }
    }

    private double runs(String verdict) {
        return registry.get("modelgate.drift.runs").tags("model", "m", "variant", "v1", "verdict", verdict).counter().count();
    }

    /** A reference-like row; {@code shift} moves feature a by that many standard deviations. */
    private Map<String, Double> row(double shift) {
        return Map.of("a", random.nextGaussian() + shift, "b", random.nextDouble() < 0.3 ? 1.0 : 0.0, "p", random.nextDouble());
    }
}
