package org.engagement4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The random parameter draws: ranges, rates and distributions, measured on many seeded draws.
 * Rates are compared with their expectation within 5 binomial standard deviations, so a correct
 * sampler fails with probability below 1e-6 (and, being seeded, never flakes).
 */
class AugmentationSamplerTest {

    private static final int N = 20_000;

    private static void assertRate(double expected, long hits, int n, String what) {
        double sd = Math.sqrt(expected * (1 - expected) / n);
        double rate = (double) hits / n;
        assertTrue(Math.abs(rate - expected) <= 5 * sd, String.format(Locale.ROOT,
                "%s: rate %.4f, expected %.4f +- %.4f", what, rate, expected, 5 * sd));
    }

    /** Checks that draws lie in [min, max) and fill 10 equal bins uniformly (chi-square). */
    private static void assertUniform(double[] draws, double min, double max, String what) {
        int[] bins = new int[10];
        for (double d : draws) {
            assertTrue(d >= min && d < max, what + ": draw " + d + " outside [" + min + ", " + max + ")");
            bins[Math.min(9, (int) ((d - min) / (max - min) * 10))]++;
        }
        double expected = draws.length / 10.0;
        double chi2 = 0;
        for (int b : bins) {
            chi2 += (b - expected) * (b - expected) / expected;
        }
        // 9 degrees of freedom: P(chi2 > 40) < 1e-5
        assertTrue(chi2 < 40, what + ": chi-square " + chi2 + " over 10 bins, not uniform");
    }

    @Test
    void rotationAnglesAreUniformInTheRange() {
        UniformRandomProvider rng = ClipAugmentation.random(1);
        RandomRotation r = RandomRotation.reference();
        double[] a = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = r.sample(rng).degrees();
        }
        assertUniform(a, -8, 8, "rotation");
    }

    @Test
    void gatesAndFlipsHappenAtTheirRates() {
        UniformRandomProvider rng = ClipAugmentation.random(2);
        ClipTensor clip = ClipTensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        ClipAugmentation marker = (c, g) -> ContrastAdjustment.of(1, 1).apply(c);
        RandomApply gate = RandomApply.of(0.35, marker);
        RandomHorizontalFlip flip = RandomHorizontalFlip.of(0.5);
        long applied = 0;
        long flipped = 0;
        for (int i = 0; i < N; i++) {
            ClipTensor g = gate.apply(clip, rng);
            if (g != clip) {
                applied++;
            }
            if (flip.apply(clip, rng).get(0, 0, 0, 0) == 2f) {
                flipped++;
            }
        }
        assertRate(0.35, applied, N, "RandomApply(0.35)");
        assertRate(0.5, flipped, N, "RandomHorizontalFlip(0.5)");
        assertSame(clip, RandomApply.of(0, marker).apply(clip, rng));
        assertSame(clip, RandomHorizontalFlip.of(0).apply(clip, rng));
        assertTrue(RandomApply.of(1, marker).apply(clip, rng) != clip);
    }

    @Test
    void resizedCropBoxesFollowTorchvisionsRule() {
        UniformRandomProvider rng = ClipAugmentation.random(3);
        RandomResizedCrop rrc = RandomResizedCrop.reference();
        int h = 160;
        int w = 208;
        long whole = 0;
        boolean topZero = false;
        boolean topMax = false;
        for (int i = 0; i < N; i++) {
            ResizedCrop box = rrc.sample(h, w, rng);
            assertEquals(112, box.outHeight());
            assertEquals(112, box.outWidth());
            assertTrue(box.top() >= 0 && box.left() >= 0 && box.top() + box.height() <= h
                    && box.left() + box.width() <= w, box.toString());
            if (box.height() == h && box.width() == w) {
                whole++;
                continue;
            }
            double area = (double) box.height() * box.width() / (h * w);
            double ratio = (double) box.width() / box.height();
            // rounding to whole pixels moves area and ratio a little beyond the drawn values
            assertTrue(area >= 0.59 && area <= 1.0, "area fraction " + area);
            assertTrue(ratio >= 0.5 * 0.98 && ratio <= 1.5 * 1.02, "ratio " + ratio);
            topZero |= box.top() == 0;
            topMax |= box.top() == h - box.height();
        }
        assertTrue(topZero && topMax, "the top row reaches both ends of its range");
        // Per attempt P(fit) = 0.14566 (10^6 NumPy draws, see RandomResizedCrop); a box of the
        // whole frame otherwise needs scale ~1 and ratio ~1.3 to round exactly, which is rare.
        assertRate(Math.pow(1 - 0.14566, 10), whole, N, "fallback to the whole frame");
    }

    @Test
    void resizedCropFallbackIsTheCentralBoxOfTheExtremeRatio() {
        UniformRandomProvider rng = ClipAugmentation.random(4);
        // scale > 1 never fits, so every draw falls back
        RandomResizedCrop never = RandomResizedCrop.of(8, 8, 2, 3, 0.5, 1.5);
        assertEquals(ResizedCrop.of(0, 42, 10, 15, 8, 8), never.sample(10, 100, rng),
                "wide frame: full height, width round(10 * 1.5)");
        assertEquals(ResizedCrop.of(40, 0, 20, 10, 8, 8), never.sample(100, 10, rng),
                "tall frame: full width, height round(10 / 0.5)");
        assertEquals(ResizedCrop.of(0, 0, 30, 40, 8, 8), never.sample(30, 40, rng),
                "ratio inside the range: the whole frame");
        assertEquals(ResizedCrop.of(0, 0, 1, 1, 8, 8), never.sample(1, 1, rng));
        assertEquals(ResizedCrop.of(0, 0, 1, 1, 8, 8), RandomResizedCrop.of(8, 8, 2, 3, 5, 6)
                .sample(1, 1, rng), "one pixel is the smallest box");
    }

    @Test
    void intensityParametersAreUniformInTheirRanges() {
        UniformRandomProvider rng = ClipAugmentation.random(5);
        RandomContrastAdjustment contrast = RandomContrastAdjustment.reference();
        RandomColourAdjustment colour = RandomColourAdjustment.reference();
        RandomGaussianBlur blur = RandomGaussianBlur.reference();
        RandomGaussianNoise noise = RandomGaussianNoise.reference();
        double[] cs = new double[N];
        double[] cb = new double[N];
        double[][] ks = new double[3][N];
        double[][] kb = new double[3][N];
        double[] sigma = new double[N];
        double[] std = new double[N];
        for (int i = 0; i < N; i++) {
            ContrastAdjustment c = contrast.sample(rng);
            cs[i] = c.scale();
            cb[i] = c.bias();
            ColourAdjustment k = colour.sample(3, rng);
            for (int ch = 0; ch < 3; ch++) {
                ks[ch][i] = k.scale()[ch];
                kb[ch][i] = k.bias()[ch];
            }
            GaussianBlur b = blur.sample(rng);
            assertEquals(5, b.kernelSize());
            sigma[i] = b.sigma();
            std[i] = noise.sample(rng).std();
        }
        assertUniform(cs, 0.75, 1.25, "contrast scale");
        assertUniform(cb, -0.15, 0.15, "contrast bias");
        for (int ch = 0; ch < 3; ch++) {
            assertUniform(ks[ch], 0.8, 1.2, "colour scale " + ch);
            assertUniform(kb[ch], -0.1, 0.1, "colour bias " + ch);
        }
        assertUniform(sigma, 0.1, 2.0, "blur sigma");
        assertUniform(std, 0.01, 0.03, "noise std");
        // channels are drawn independently
        assertTrue(Math.abs(correlation(ks[0], ks[1])) < 0.04, "colour scales of R and G correlate");
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void noiseHasTheRequestedLevelAndIsIndependent() {
        int n = 3 * 4 * 100 * 100;
        ClipTensor zero = ClipTensor.of(new float[n], 3, 4, 100, 100);
        float[] e = GaussianNoise.of(0.02).apply(zero, ClipAugmentation.random(6)).toArray();
        double mean = 0;
        double sq = 0;
        double lag = 0;
        for (int i = 0; i < n; i++) {
            mean += e[i];
            sq += (double) e[i] * e[i];
            if (i > 0) {
                lag += (double) e[i] * e[i - 1];
            }
        }
        mean /= n;
        double sd = Math.sqrt(sq / n - mean * mean);
        assertEquals(0, mean, 5 * 0.02 / Math.sqrt(n));
        assertEquals(0.02, sd, 5 * 0.02 / Math.sqrt(2.0 * n));
        assertEquals(0, lag / (n - 1) / (sd * sd), 5 / Math.sqrt(n), "lag-1 correlation");
        assertEquals(zero, GaussianNoise.of(0).apply(zero, ClipAugmentation.random(6)));
    }

    @Test
    void rangesAndProbabilitiesAreChecked() {
        String[][] expected = {
            {"degrees: minimum 8.0 must be <= maximum -8.0"},
            {"scale minimum: 0.0 must be finite and > 0"},
            {"ratio: minimum 2.0 must be <= maximum 1.0"},
            {"p: 1.5 must be a probability in [0, 1]"},
            {"p: NaN must be a probability in [0, 1]"},
            {"sigma minimum: -1.0 must be finite and > 0"},
            {"kernelSize: 4 must be odd and >= 1"},
            {"std minimum: -0.01 must be finite and >= 0"},
            {"bias maximum: NaN must be finite"},
            {"outHeight: 0 must be >= 1"},
        };
        Runnable[] calls = {
            () -> RandomRotation.of(8, -8),
            () -> RandomResizedCrop.of(8, 8, 0, 1, 0.5, 1.5),
            () -> RandomResizedCrop.of(8, 8, 0.5, 1, 2, 1),
            () -> RandomApply.of(1.5, RandomRotation.reference()),
            () -> RandomHorizontalFlip.of(Double.NaN),
            () -> RandomGaussianBlur.of(5, -1, 2),
            () -> RandomGaussianBlur.of(4, 1, 2),
            () -> RandomGaussianNoise.of(-0.01, 0.03),
            () -> RandomColourAdjustment.of(0.8, 1.2, -0.1, Double.NaN),
            () -> RandomResizedCrop.of(0, 8, 0.5, 1, 0.5, 1.5),
        };
        for (int i = 0; i < calls.length; i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, calls[i]::run);
            assertEquals(expected[i][0], e.getMessage());
        }
    }
}
