package dev.modelgate.drift.profile;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Uniform sample of bounded size from a stream (Vitter's Algorithm R): after n offers every value
 * has probability capacity/n of being held. The random source is passed in so profiles are repeatable.
 */
final class Reservoir {

    private final double[] values;
    private final RandomGenerator random;
    private long seen;

    Reservoir(int capacity, RandomGenerator random) {
        this.values = new double[capacity];
        this.random = random;
    }

    void offer(double value) {
        seen++;
        if (seen <= values.length) {
            values[(int) (seen - 1)] = value;
            return;
        }
        long slot = random.nextLong(seen);
        if (slot < values.length) {
            values[(int) slot] = value;
        }
    }

    double[] snapshot() {
        return Arrays.copyOf(values, (int) Math.min(seen, values.length));
    }
}
