package org.engagement4j.xai.attention;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * Trilinear resampling of a {@code [T, H, W]} volume with the rule of torch's
 * {@code F.interpolate(mode="trilinear", align_corners=False)}, per axis: the output sample
 * {@code d} reads the input at {@code s = max(0, (d + 0.5) * in / out - 0.5)}, between samples
 * {@code floor(s)} and {@code min(floor(s) + 1, in - 1)} with weight {@code s - floor(s)}. An axis
 * whose size does not change is read exactly. This is how guided Grad-CAM brings Grad-CAM to the
 * input's size (REFERENCE.md §7) and how pictures lay a coarse map over its frames.
 *
 * @since 0.1.0
 */
public final class Trilinear {

    private Trilinear() {
    }

    /** Source indices and weights of one axis. */
    private record Axis(int[] lo, int[] hi, double[] w) {

        static Axis of(int in, int out) {
            int[] lo = new int[out];
            int[] hi = new int[out];
            double[] w = new double[out];
            double scale = (double) in / out;
            for (int d = 0; d < out; d++) {
                double s = in == out ? d : Math.max(0.0, (d + 0.5) * scale - 0.5);
                int i0 = Math.min((int) s, in - 1);
                lo[d] = i0;
                hi[d] = i0 < in - 1 ? i0 + 1 : i0;
                w[d] = s - i0;
            }
            return new Axis(lo, hi, w);
        }
    }

    /**
     * @param v a volume
     * @param frames T', at least 1
     * @param height H', at least 1
     * @param width W', at least 1
     * @return a new volume {@code [T', H', W']}, or {@code v} itself when the size is the same
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Volume resize(Volume v, int frames, int height, int width) {
        Objects.requireNonNull(v, "v");
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "resize %s to [%d, %d, %d]: every size must be >= 1", v.shapeString(), frames,
                    height, width));
        }
        if (frames == v.frames() && height == v.height() && width == v.width()) {
            return v;
        }
        double[] out = resize(v.toArray(), v.frames(), v.height(), v.width(), frames, height,
                width);
        return Volume.wrap(out, frames, height, width);
    }

    static double[] resize(double[] src, int t0, int h0, int w0, int t1, int h1, int w1) {
        Axis at = Axis.of(t0, t1);
        Axis ah = Axis.of(h0, h1);
        Axis aw = Axis.of(w0, w1);
        double[] out = new double[t1 * h1 * w1];
        int plane = h0 * w0;
        int o = 0;
        for (int t = 0; t < t1; t++) {
            int ta = at.lo[t] * plane;
            int tb = at.hi[t] * plane;
            double ft = at.w[t];
            for (int y = 0; y < h1; y++) {
                int ya = ah.lo[y] * w0;
                int yb = ah.hi[y] * w0;
                double fy = ah.w[y];
                for (int x = 0; x < w1; x++) {
                    int xa = aw.lo[x];
                    int xb = aw.hi[x];
                    double fx = aw.w[x];
                    double a = lerp(src[ta + ya + xa], src[ta + ya + xb], fx);
                    double b = lerp(src[ta + yb + xa], src[ta + yb + xb], fx);
                    double c = lerp(src[tb + ya + xa], src[tb + ya + xb], fx);
                    double d = lerp(src[tb + yb + xa], src[tb + yb + xb], fx);
                    out[o++] = lerp(lerp(a, b, fy), lerp(c, d, fy), ft);
                }
            }
        }
        return out;
    }

    private static double lerp(double a, double b, double f) {
        return f == 0 ? a : a + (b - a) * f;
    }
}
