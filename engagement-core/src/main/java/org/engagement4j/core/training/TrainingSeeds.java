package org.engagement4j.core.training;

import java.nio.charset.StandardCharsets;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Splits one seed into independent named streams (head initialisation, snippet plans,
 * augmentation per pass and snippet), so that a result depends on what is drawn and not on the
 * order in which work is visited. The same construction as the sampling package's: SplitMix64's
 * finaliser over the seed and an FNV-1a hash of each name part.
 */
final class TrainingSeeds {

    private static final long GOLDEN = 0x9e3779b97f4a7c15L;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private TrainingSeeds() {
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long derive(long seed, String... parts) {
        long h = mix(seed + GOLDEN);
        for (String part : parts) {
            long f = FNV_OFFSET;
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                f = (f ^ (b & 0xff)) * FNV_PRIME;
            }
            // The length term keeps ("ab", "c") apart from ("a", "bc").
            h = mix((h + GOLDEN) ^ f ^ ((long) part.length() << 32));
        }
        return h;
    }

    static UniformRandomProvider rng(long seed, String... parts) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(derive(seed, parts));
    }
}
