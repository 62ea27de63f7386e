package dev.modelgate.gateway.probing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.config.AuthConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The monitor on a simulated clock (one {@link ProbingMonitor#evaluate} per 20-second window): a key
 * sweeping one feature over a grid is flagged in its first full window, well within a minute, while
 * keys sending inputs like the demo's traffic generator (12 fraud features: skewed amounts, counts,
 * two yes/no flags), checked against the range of a reference drawn from the same generator, are not
 * flagged in any of 30 windows.
 */
class ProbingMonitorTest {

    private static final AuthConfig.ProbingSettings SETTINGS = new AuthConfig.ProbingSettings(true, Duration.ofSeconds(20), 30, 0.6,
            5, 2_000);
    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    private final List<ProbingMonitor.Flag> flags = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Random random = new Random(16);
    /** The reference's range per column, as a drift reference of 5,000 generator rows would give it. */
    private final double[][] reference = reference(5_000);
    private final ProbingMonitor monitor = new ProbingMonitor(SETTINGS,
            (model, tensor, width) -> "features".equals(tensor) && width == reference.length ? reference : null, flags::add, registry);

    @Test
    void aKeySweepingOneFeatureOverAGridIsFlaggedWithinAMinute() {
        for (int window = 0; window < 3; window++) {
            for (int i = 0; i < 100; i++) {
                monitor.observe("ordinary", "fraud-score", "features", generatorLike());
                double[] probe = generatorLikeFixed();
                probe[0] = 10 * (window * 100 + i); // amount swept over a grid, everything else held still
                monitor.observe("prober", "fraud-score", "features", probe);
            }
            monitor.evaluate(T0.plusSeconds(20L * (window + 1)));
        }

        assertThat(flags).extracting(ProbingMonitor.Flag::key).containsOnly("prober");
        assertThat(flags).allMatch(ProbingMonitor.Flag::firing).hasSize(3); // re-sent every window it stays above
        assertThat(flags.get(0).at()).isBeforeOrEqualTo(T0.plusSeconds(60));
        assertThat(monitor.view("prober").getDouble("one_feature_share")).isEqualTo(1.0);
        assertThat(monitor.throttled("prober")).isTrue();
        assertThat(monitor.throttled("ordinary")).isFalse();
        assertThat(registry.get("modelgate.keys.suspicion").tag("key", "prober").gauge().value()).isGreaterThan(0.9);
    }

    @Test
    void generatorLikeTrafficRaisesNoFlagOverThirtyWindows() {
        List<Double> scores = new ArrayList<>();
        for (int window = 0; window < 30; window++) {
            for (int key = 0; key < 5; key++) {
                int requests = 60 + random.nextInt(80); // volume that varies from window to window
                for (int i = 0; i < requests; i++) {
                    monitor.observe("client-" + key, "fraud-score", "features", generatorLike());
                }
            }
            monitor.evaluate(T0.plusSeconds(20L * (window + 1)));
            for (int key = 0; key < 5; key++) {
                scores.add(monitor.view("client-" + key).getDouble("suspicion"));
            }
        }

        assertThat(flags).isEmpty(); // 0 false alarms in 150 key-windows
        assertThat(scores).hasSize(150).allSatisfy(score -> assertThat(score).isLessThan(0.4));
    }

    @Test
    void aNewKeyRampingUpIsNoSurge() {
        monitor.observe("new", "fraud-score", "features", generatorLike());
        monitor.evaluate(T0.plusSeconds(20));
        for (int i = 0; i < 80; i++) {
            monitor.observe("new", "fraud-score", "features", generatorLike());
        }
        monitor.evaluate(T0.plusSeconds(40));

        assertThat(monitor.view("new").getDouble("volume_ratio")).isLessThan(3);
        assertThat(flags).isEmpty();
    }

    @Test
    void aSuddenVolumeSurgeRaisesTheScoreButNotAloneToTheThreshold() {
        for (int window = 0; window < 5; window++) {
            for (int i = 0; i < 50; i++) {
                monitor.observe("steady", "fraud-score", "features", generatorLike());
            }
            monitor.evaluate(T0.plusSeconds(20L * (window + 1)));
        }
        double before = monitor.view("steady").getDouble("suspicion");
        for (int i = 0; i < 2_000; i++) {
            monitor.observe("steady", "fraud-score", "features", generatorLike());
        }
        monitor.evaluate(T0.plusSeconds(120));

        assertThat(monitor.view("steady").getDouble("volume_ratio")).isGreaterThan(10);
        assertThat(monitor.view("steady").getDouble("suspicion")).isGreaterThan(before + 0.3);
        assertThat(flags).isEmpty();
    }

    @Test
    void inputsOutsideTheReferencesRangeAreCountedButDoNotAloneReachTheThreshold() {
        for (int i = 0; i < 100; i++) {
            double[] synthetic = generatorLike();
            synthetic[1] = 50_000 + random.nextInt(50_000); // account ages no reference row has
            monitor.observe("synthetic", "fraud-score", "features", synthetic);
        }
        monitor.evaluate(T0.plusSeconds(20));

        assertThat(monitor.view("synthetic").getDouble("out_of_range_share")).isEqualTo(1.0);
        assertThat(monitor.view("synthetic").getDouble("suspicion")).isBetween(0.5, 0.6);
    }

    private double[][] reference(int rows) {
        double[][] ranges = null;
        for (int i = 0; i < rows; i++) {
            double[] x = generatorLike();
            if (ranges == null) {
                ranges = new double[x.length][];
                for (int j = 0; j < x.length; j++) {
                    ranges[j] = new double[] {x[j], x[j]};
                }
            }
            for (int j = 0; j < x.length; j++) {
                ranges[j][0] = Math.min(ranges[j][0], x[j]);
                ranges[j][1] = Math.max(ranges[j][1], x[j]);
            }
        }
        return ranges;
    }

    /** Like the demo generator's rows: skewed amounts and ages, counts, hours, two yes/no flags, a risk score. */
    private double[] generatorLike() {
        return new double[] {
            Math.round(Math.exp(3.5 + random.nextGaussian()) * 100) / 100.0, // amount
            random.nextInt(3_000),                                           // account_age_days
            random.nextInt(12),                                              // tx_count_24h
            Math.round(Math.exp(3.4 + 0.6 * random.nextGaussian()) * 100) / 100.0,
            Math.round(Math.abs(random.nextGaussian()) * 50 * 10) / 10.0,  // distance_from_home_km
            random.nextDouble() < 0.1 ? 1 : 0,                               // is_foreign
            random.nextInt(24),                                              // hour_of_day
            Math.round(random.nextDouble() * 1000) / 1000.0,                 // merchant_risk
            random.nextDouble() < 0.7 ? 1 : 0,                               // card_present
            random.nextInt(4),                                               // failed_logins_7d
            random.nextInt(1_500),                                           // device_age_days
            Math.round(Math.exp(0.3 * random.nextGaussian()) * 1000) / 1000.0 // velocity_ratio
        };
    }

    private double[] generatorLikeFixed() {
        return new double[] {0, 400, 3, 35.5, 12.5, 0, 14, 0.2, 1, 0, 300, 1.0};
    }
}
