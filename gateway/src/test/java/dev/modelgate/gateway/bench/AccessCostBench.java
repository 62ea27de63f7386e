package dev.modelgate.gateway.bench;

import dev.modelgate.gateway.api.InferRequestDecoder;
import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.keys.ApiKey;
import dev.modelgate.gateway.keys.KeyRing;
import dev.modelgate.gateway.keys.KeySecrets;
import dev.modelgate.gateway.ratelimit.Decision;
import dev.modelgate.gateway.ratelimit.RateLimiter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * CPU time per request of what the data-plane guard adds, on one thread, against decoding the demo's
 * infer body (a cost every request already pays) measured in the same rounds: verifying an API key
 * (after its first verification: a lookup and a constant-time comparison), then the same plus the local
 * rate limits of the key and of the model (two Bucket4j buckets each: rate, then quota) and the three
 * RateLimit header values. Rounds alternate the three so that the host's drift hits all alike; the
 * report is the median of the rounds. Run by {@code scripts/bench-auth.sh}.
 */
public final class AccessCostBench {

    private static final int ROUNDS = 7;
    private static final int OPS = 1_000_000;
    private static final byte[] BODY = ("{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],"
            + "\"data\":[120.5,400,2,75,12,0,14,0.3,1,0,200,1.1]}]}").getBytes(StandardCharsets.UTF_8);

    private AccessCostBench() {}

    public static void main(String[] args) {
        KeySecrets secrets = new KeySecrets(new SecureRandom());
        KeyRing ring = new KeyRing();
        List<ApiKey> keys = new ArrayList<>();
        String secret = null;
        for (int i = 0; i < 100; i++) { // a fleet's worth of keys
            KeySecrets.Issued issued = secrets.issue();
            keys.add(new ApiKey("key-" + i, "bench", issued.keyId(), issued.salt(), issued.hash(), Set.of(), null, Optional.empty(),
                    new RateLimits(1e9, 1_000_000_000L, 1_000_000_000_000L, RateLimits.DAY), Instant.EPOCH));
            secret = issued.secret();
        }
        ring.replaceAll(keys);
        RateLimiter limiter = RateLimiter.local(System::currentTimeMillis);
        RateLimits model = new RateLimits(1e9, 1_000_000_000L, 0, RateLimits.DAY);
        InferRequestDecoder decoder = new InferRequestDecoder();
        String presented = secret;
        long[] sink = new long[1];

        LongSupplier decode = () -> decoder.decode(BODY).inputs().size();
        LongSupplier auth = () -> ring.verify(presented, System.currentTimeMillis()).key().name().length();
        LongSupplier authAndLimits = () -> {
            ApiKey key = ring.verify(presented, System.currentTimeMillis()).key();
            Decision byKey = limiter.acquire("key:" + key.name(), key.limits()).result();
            Decision byModel = limiter.acquire("model:fraud-score", model).result();
            return byKey.remaining() + byModel.remaining() + Long.toString(byKey.limit()).length()
                    + Long.toString(byKey.remaining()).length() + Long.toString(byKey.resetSeconds()).length();
        };

        System.out.println("warming up (10 s)");
        long warm = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < warm) {
            sink[0] += run(decode, 10_000)[1] + run(auth, 10_000)[1] + run(authAndLimits, 10_000)[1];
        }
        double[][] micros = new double[3][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            micros[0][r] = run(decode, OPS)[0] / 1e3 / OPS;
            micros[1][r] = run(auth, OPS)[0] / 1e3 / OPS;
            micros[2][r] = run(authAndLimits, OPS)[0] / 1e3 / OPS;
        }
        double decodeUs = median(micros[0]);
        double authUs = median(micros[1]);
        double limitsUs = median(micros[2]);
        System.out.printf("CPU per request, median of %d rounds of %,d (one thread):%n", ROUNDS, OPS);
        System.out.printf("  decode the demo infer body (baseline)        %.3f µs%n", decodeUs);
        System.out.printf("  API key verification                         %.3f µs  = %.2f x the decode%n", authUs, authUs / decodeUs);
        System.out.printf("  verification + key and model local limits   %.3f µs  = %.2f x the decode%n", limitsUs, limitsUs / decodeUs);
        System.out.printf("(sink %d)%n", sink[0] & 1);
    }

    /** {CPU nanoseconds of this thread, a value that keeps the work from being optimized away}. */
    private static long[] run(LongSupplier op, int n) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            sink += op.getAsLong();
        }
        return new long[] {threads.getCurrentThreadCpuTime() - start, sink};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
