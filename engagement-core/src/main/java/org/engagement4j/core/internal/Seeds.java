package org.engagement4j.core.internal;

import java.nio.charset.StandardCharsets;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Splits one seed into independent streams named by strings (session id, coder, epoch, head
 * initialisation, augmentation per pass and snippet...), so a result depends on what is drawn,
 * not on the order in which work is visited: SplitMix64's finaliser over the seed and an FNV-1a
 * hash of each name part. Shared by sampling and training. Internal: not part of the API.
 *
 * @since 0.1.0
 */
public final class Seeds {

    private static final long GOLDEN = 0x9e3779b97f4a7c15L;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Seeds() {
    }

    /**
     * SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix.
     *
     * @param z any value
     * @return its SplitMix64 finalisation
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * @param seed the one seed
     * @param parts the stream's name
     * @return the stream's seed
     */
    public static long derive(long seed, String... parts) {
        long h = mix(seed + GOLDEN);
        for (String part : parts) {
            // FNV-1a over UTF-8 is fixed by its definition, unlike String.hashCode's 32 bits.
            long f = FNV_OFFSET;
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                f = (f ^ (b & 0xff)) * FNV_PRIME;
            }
            // Mixing the length keeps ("ab", "c") apart from ("a", "bc").
            h = mix((h + GOLDEN) ^ f ^ ((long) part.length() << 32));
        }
        return h;
    }

    /**
     * @param seed the one seed
     * @param parts the stream's name
     * @return a generator seeded with {@link #derive}
     */
    public static UniformRandomProvider rng(long seed, String... parts) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(derive(seed, parts));
    }
}
