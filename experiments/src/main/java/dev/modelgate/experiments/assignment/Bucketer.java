package dev.modelgate.experiments.assignment;

import dev.modelgate.experiments.spec.Percent;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Maps a unit to one of 10,000 buckets: the first 64 bits of MurmurHash3 x64 128 (seed 0) of the UTF-8
 * bytes of {@code salt + ":" + unitId}, unsigned, modulo 10,000. One bucket is one basis point of
 * traffic. This function is part of the stored state of every running experiment (units must keep
 * their variant across releases), so tests pin its outputs.
 */
public final class Bucketer {

    public static final int BUCKETS = Percent.BASIS_POINTS_IN_100_PERCENT;

    private Bucketer() {
    }

    public static int bucket(String salt, String unitId) {
        byte[] key = (salt + ":" + unitId).getBytes(StandardCharsets.UTF_8);
        // The modulo bias of 2^64 mod 10,000 over 2^64 (~1e-16) is far below anything measurable.
        return (int) Long.remainderUnsigned(MurmurHash3.hash128x64(key)[0], BUCKETS);
    }
}
