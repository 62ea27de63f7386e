package dev.modelgate.gateway.probing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signals of one key's window of requests, as the model-extraction literature uses them (PRADA's
 * and later query-pattern detectors): how many requests against the key's usual volume, how many
 * inputs lie outside the reference profile's range, how many requests belong to a sweep (requests
 * equal but for one feature, which takes three or more values), and how little the inputs vary
 * (entropy per feature). Pure: the monitor feeds it, a test can too.
 *
 * @param requests        requests in the window (all of them, also those beyond the kept sample)
 * @param volumeRatio     requests against the key's usual volume (the monitor passes its moving average of
 *                        earlier windows, at least min_requests)
 * @param outOfRangeShare share of sampled inputs with a feature outside the reference's [min, max]; 0 without reference
 * @param oneFeatureShare share of sampled inputs that are part of a one-feature sweep
 * @param lowEntropy      1 minus the mean normalized entropy of the features (16 equal-width bins)
 */
public record WindowSignals(long requests, double volumeRatio, double outOfRangeShare, double oneFeatureShare, double lowEntropy) {

    private static final int BINS = 16;
    private static final int SWEEP_VALUES = 3;

    /** In [0, 1]: a sweep alone nearly suffices; range, volume and low entropy each add less. */
    public double suspicion() {
        double volume = clamp((volumeRatio - 3) / 7);
        return 1 - (1 - oneFeatureShare) * (1 - 0.5 * outOfRangeShare) * (1 - 0.5 * volume) * (1 - 0.3 * lowEntropy);
    }

    /**
     * @param history     the key's usual requests per window; 0 for none (the ratio is then 1)
     * @param samples     the window's kept inputs, one feature vector each (same length)
     * @param reference   per feature {min, max} of the reference profile; null when there is none
     */
    public static WindowSignals of(long requests, double history, List<double[]> samples, double[][] reference) {
        double ratio = history > 0 ? requests / history : 1;
        if (samples.isEmpty()) {
            return new WindowSignals(requests, ratio, 0, 0, 0);
        }
        return new WindowSignals(requests, ratio, outOfRange(samples, reference), sweeps(samples), lowEntropy(samples));
    }

    private static double outOfRange(List<double[]> samples, double[][] reference) {
        if (reference == null) {
            return 0;
        }
        int outside = 0;
        for (double[] x : samples) {
            for (int j = 0; j < Math.min(x.length, reference.length); j++) {
                if (x[j] < reference[j][0] || x[j] > reference[j][1]) {
                    outside++;
                    break;
                }
            }
        }
        return (double) outside / samples.size();
    }

    /** Groups the inputs by all features but one, for each feature; an input in a group of 3+ values of it is a sweep. */
    private static double sweeps(List<double[]> samples) {
        int features = samples.get(0).length;
        boolean[] swept = new boolean[samples.size()];
        for (int j = 0; j < features; j++) {
            Map<Masked, Set<Double>> groups = new HashMap<>();
            for (double[] x : samples) {
                groups.computeIfAbsent(new Masked(x, j), m -> new HashSet<>()).add(x[j]);
            }
            for (int i = 0; i < samples.size(); i++) {
                if (!swept[i] && groups.get(new Masked(samples.get(i), j)).size() >= SWEEP_VALUES) {
                    swept[i] = true;
                }
            }
        }
        int count = 0;
        for (boolean s : swept) {
            count += s ? 1 : 0;
        }
        return (double) count / samples.size();
    }

    private static double lowEntropy(List<double[]> samples) {
        int features = samples.get(0).length;
        int n = samples.size();
        if (n < 2 || features == 0) {
            return 0;
        }
        double maxEntropy = Math.log(Math.min(BINS, n));
        double sum = 0;
        for (int j = 0; j < features; j++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] x : samples) {
                min = Math.min(min, x[j]);
                max = Math.max(max, x[j]);
            }
            int[] counts = new int[BINS];
            for (double[] x : samples) {
                int bin = max > min ? (int) Math.min(BINS - 1, (x[j] - min) / (max - min) * BINS) : 0;
                counts[bin]++;
            }
            double entropy = 0;
            for (int c : counts) {
                if (c > 0) {
                    double p = (double) c / n;
                    entropy -= p * Math.log(p);
                }
            }
            sum += entropy / maxEntropy;
        }
        return clamp(1 - sum / features);
    }

    private static double clamp(double x) {
        return Math.max(0, Math.min(1, x));
    }

    /** A feature vector with one feature left out, compared by value. */
    private record Masked(double[] x, int skip) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Masked other) || other.x.length != x.length) {
                return false;
            }
            for (int i = 0; i < x.length; i++) {
                if (i != skip && Double.compare(x[i], other.x[i]) != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (int i = 0; i < x.length; i++) {
                if (i != skip) {
                    h = 31 * h + Double.hashCode(x[i]);
                }
            }
            return h;
        }

        @Override
        public String toString() {
            return Arrays.toString(x) + " without " + skip;
        }
    }
}
