package dev.modelgate.experiments.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/**
 * Pins the bucket function: if any of these values changes, every running experiment reshuffles its units.
 *
 * <p>Reference values come from an independent pure-Python MurmurHash3 x64 128 (seed 0); its output for
 * "The quick brown fox jumps over the lazy dog" (h1 = 0xe34bbc7bbc071b6c, h2 = 0x7a433ca9c49a9347)
 * matches the published vector of Guava's Murmur3_128HashFunctionTest ("6c1b07bc7bbc4be347939ac4a93c437a",
 * the same two words little-endian).
 * <pre>
 * M = 0xFFFFFFFFFFFFFFFF
 * def rotl(x, r): return ((x &lt;&lt; r) | (x &gt;&gt; (64 - r))) &amp; M
 * def fmix(k):
 *     k ^= k &gt;&gt; 33; k = (k * 0xff51afd7ed558ccd) &amp; M
 *     k ^= k &gt;&gt; 33; k = (k * 0xc4ceb9fe1a85ec53) &amp; M
 *     return k ^ (k &gt;&gt; 33)
 * def murmur3_x64_128(data, seed=0):
 *     c1, c2 = 0x87c37b91114253d5, 0x4cf5ad432745937f
 *     h1 = h2 = seed; n = len(data); nblocks = n // 16
 *     for i in range(nblocks):
 *         k1 = int.from_bytes(data[16*i:16*i+8], 'little'); k2 = int.from_bytes(data[16*i+8:16*i+16], 'little')
 *         k1 = (k1 * c1) &amp; M; k1 = rotl(k1, 31); k1 = (k1 * c2) &amp; M; h1 ^= k1
 *         h1 = rotl(h1, 27); h1 = (h1 + h2) &amp; M; h1 = (h1 * 5 + 0x52dce729) &amp; M
 *         k2 = (k2 * c2) &amp; M; k2 = rotl(k2, 33); k2 = (k2 * c1) &amp; M; h2 ^= k2
 *         h2 = rotl(h2, 31); h2 = (h2 + h1) &amp; M; h2 = (h2 * 5 + 0x38495ab5) &amp; M
 *     tail = data[16*nblocks:]; k1 = k2 = 0
 *     if len(tail) &gt; 8:
 *         k2 = int.from_bytes(tail[8:], 'little')
 *         k2 = (k2 * c2) &amp; M; k2 = rotl(k2, 33); k2 = (k2 * c1) &amp; M; h2 ^= k2
 *     if len(tail) &gt; 0:
 *         k1 = int.from_bytes(tail[:8], 'little')
 *         k1 = (k1 * c1) &amp; M; k1 = rotl(k1, 31); k1 = (k1 * c2) &amp; M; h1 ^= k1
 *     h1 ^= n; h2 ^= n
 *     h1 = (h1 + h2) &amp; M; h2 = (h2 + h1) &amp; M
 *     h1 = fmix(h1); h2 = fmix(h2)
 *     h1 = (h1 + h2) &amp; M; h2 = (h2 + h1) &amp; M
 *     return h1, h2
 * signed = lambda x: x - (1 &lt;&lt; 64) if x &gt;= 1 &lt;&lt; 63 else x
 * for key in ["", "hello", "The quick brown fox jumps over the lazy dog", "checkout-v2:user-42", "checkout-v2:", "exp:üñí©ødé-7"]:
 *     h1, h2 = murmur3_x64_128(key.encode("utf-8"))
 *     print(repr(key), signed(h1), signed(h2), h1 % 10000)
 * </pre>
 * printed:
 * <pre>
 * '' 0 0 0
 * 'hello' -3758069500696749310 6565844092913065241 2306
 * 'The quick brown fox jumps over the lazy dog' -2068352364225029268 8809951995912426311 2348
 * 'checkout-v2:user-42' -5981177841968459386 -5500496536602330644 2230
 * 'checkout-v2:' -5217565810456084532 -6247270583456232607 7084
 * 'exp:üñí©ødé-7' 3252705903977689599 -7348552395802962514 9599
 * </pre>
 */
class BucketerTest {

    @Test
    void hashIsMurmur3X64With128BitsOfTheUtf8Bytes() {
        assertThat(hash("hello")).containsExactly(-3758069500696749310L, 6565844092913065241L);
        assertThat(hash("The quick brown fox jumps over the lazy dog"))
                .containsExactly(-2068352364225029268L, 8809951995912426311L);
        assertThat(hash("exp:üñí©ødé-7")).containsExactly(3252705903977689599L, -7348552395802962514L);
    }

    @Test
    void bucketIsTheFirstHashWordUnsignedModulo10000OfSaltColonUnit() {
        assertThat(Bucketer.bucket("checkout-v2", "user-42")).isEqualTo(2230);
        assertThat(Bucketer.bucket("checkout-v2", "")).isEqualTo(7084);
        assertThat(Bucketer.bucket("exp", "üñí©ødé-7")).isEqualTo(9599);
    }

    @Test
    void bucketsAreUniformOverTheWholeSpace() {
        long[] counts = new long[Bucketer.BUCKETS];
        int units = 200_000;
        for (int i = 0; i < units; i++) {
            counts[Bucketer.bucket("uniformity", "unit-" + i)]++;
        }
        double[] expected = new double[Bucketer.BUCKETS];
        Arrays.fill(expected, (double) units / Bucketer.BUCKETS);

        assertThat(new ChiSquareTest().chiSquareTest(expected, counts)).isGreaterThan(0.001);
    }

    private static long[] hash(String key) {
        return MurmurHash3.hash128x64(key.getBytes(StandardCharsets.UTF_8));
    }
}
