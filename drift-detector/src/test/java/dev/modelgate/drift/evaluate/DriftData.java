package dev.modelgate.drift.evaluate;

import java.util.Map;
import java.util.Random;

import dev.modelgate.drift.profile.ProfilerSettings;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.drift.profile.ReferenceProfiler;

/** Seeded synthetic references and windows for one feature named {@link #FEATURE}. */
final class DriftData {

    static final String FEATURE = "x";
    static final String[] CATEGORIES = {"a", "b", "c"};
    static final double[] REFERENCE_MIX = {0.5, 0.3, 0.2};
    static final double[] SHIFTED_MIX = {0.3, 0.3, 0.4};

    private DriftData() {
    }

    static ReferenceProfile numericReference(Random random, int size) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextGaussian();
        }
        return numericReference(values);
    }

    static ReferenceProfile numericReference(double[] values) {
        ReferenceProfiler profiler = new ReferenceProfiler(ProfilerSettings.defaults(), new Random(1));
        for (double v : values) {
            profiler.accept(Map.of(FEATURE, v));
        }
        return profiler.build();
    }

    /** Standard normal values moved by {@code shift} standard deviations. */
    static CurrentWindow numericWindow(ReferenceProfile reference, Random random, int size, double shift) {
        CurrentWindow.Builder window = CurrentWindow.builder(reference);
        for (int i = 0; i < size; i++) {
            window.add(FEATURE, random.nextGaussian() + shift);
        }
        return window.build();
    }

    static CurrentWindow numericWindow(ReferenceProfile reference, double[] values) {
        CurrentWindow.Builder window = CurrentWindow.builder(reference);
        for (double v : values) {
            window.add(FEATURE, v);
        }
        return window.build();
    }

    static ReferenceProfile categoricalReference(Random random, int size, double[] mix) {
        ReferenceProfiler profiler = new ReferenceProfiler(ProfilerSettings.defaults(), random);
        for (int i = 0; i < size; i++) {
            profiler.accept(Map.of(FEATURE, draw(random, mix)));
        }
        return profiler.build();
    }

    static CurrentWindow categoricalWindow(ReferenceProfile reference, Random random, int size, double[] mix) {
        CurrentWindow.Builder window = CurrentWindow.builder(reference);
        for (int i = 0; i < size; i++) {
            window.add(FEATURE, draw(random, mix));
        }
        return window.build();
    }

    static ReferenceProfile categoricalCounts(Map<String, Integer> counts) {
        ReferenceProfiler profiler = new ReferenceProfiler(ProfilerSettings.defaults(), new Random(1));
        counts.forEach((category, n) -> {
            for (int i = 0; i < n; i++) {
                profiler.accept(Map.of(FEATURE, category));
            }
        });
        return profiler.build();
    }

    static CurrentWindow categoricalCountsWindow(ReferenceProfile reference, Map<String, Integer> counts) {
        CurrentWindow.Builder window = CurrentWindow.builder(reference);
        counts.forEach((category, n) -> {
            for (int i = 0; i < n; i++) {
                window.add(FEATURE, category);
            }
        });
        return window.build();
    }

    private static String draw(Random random, double[] mix) {
        double u = random.nextDouble();
        for (int i = 0; i < mix.length - 1; i++) {
            u -= mix[i];
            if (u < 0) {
                return CATEGORIES[i];
            }
        }
        return CATEGORIES[mix.length - 1];
    }
}
