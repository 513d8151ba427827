package org.engagement4j.examples.annotator;

import java.util.Locale;
import java.util.Objects;

/**
 * The painting brush of the human attention tool (REFERENCE.md §8), the same arithmetic as
 * {@code brush.js} in the annotator's web page, so that a map painted in the browser can be
 * replayed and checked here.
 *
 * <p><b>Kernel.</b> For a standard deviation {@code sigma} (pixels) the side is
 * {@code n = max(1, (int) (5 * sigma))}; the offsets are {@code d_i = i - (n - 1) / 2} for
 * {@code i = 0 .. n-1}; {@code g_i = exp(-d_i^2 / (2 sigma^2))}; the kernel is
 * {@code K[i][j] = 0.1 * g_i * g_j / max(g)^2}, so its peak is exactly {@link #PEAK} (for an even
 * side the four central values share it). This equals the reference's normalised outer product
 * rescaled to peak 0.1.
 *
 * <p><b>Placement.</b> A stroke point {@code (x, y)} is in image coordinates with pixel centres at
 * integers (pixel {@code c} covers {@code [c - 0.5, c + 0.5)}). The kernel's top-left pixel goes to
 * row {@code rint(y - n / 2)} and column {@code rint(x - n / 2)}, with {@link Math#rint}'s ties to
 * even, as Python's {@code round} in the reference. The part of the kernel outside the frame is
 * dropped; a point whose kernel does not overlap the frame at all paints nothing (the reference
 * raised an error there, which its notebook swallowed, with the same effect).
 *
 * <p><b>Clipping.</b> Each touched value becomes {@code (float) clamp(old + K, 0, 1)} (adding) or
 * {@code (float) clamp(old - K, 0, 1)} (erasing), the sum taken in double and stored as float32, as
 * NumPy did with a float32 map and a float64 kernel.
 *
 * <p>Instances are immutable; {@link #stamp} changes only the caller's array.
 *
 * @since 0.1.0
 */
public final class Brush {

    /** The kernel's peak value. */
    public static final double PEAK = 0.1;

    /** Factor applied to sigma per mouse-wheel step (up: larger, down: smaller). */
    public static final double WHEEL_FACTOR = 1.15;

    /** The initial sigma as a fraction of the frame's shorter side. */
    public static final double INITIAL_FRACTION = 1.0 / 25;

    private final double sigma;
    private final int side;
    private final double[] kernel;

    private Brush(double sigma) {
        this.sigma = sigma;
        this.side = Math.max(1, (int) (5 * sigma));
        double[] g = new double[side];
        double max = 0;
        for (int i = 0; i < side; i++) {
            double d = i - (side - 1) / 2.0;
            g[i] = Math.exp(-0.5 * (d * d) / (sigma * sigma));
            max = Math.max(max, g[i]);
        }
        double[] k = new double[side * side];
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                k[i * side + j] = PEAK * (g[i] * g[j]) / (max * max);
            }
        }
        this.kernel = k;
    }

    /**
     * A brush of the given size.
     *
     * @param sigma the Gaussian's standard deviation in pixels, finite and {@code > 0}
     * @return the brush
     * @throws IllegalArgumentException if {@code sigma} is not finite or not positive
     * @since 0.1.0
     */
    public static Brush of(double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "sigma: %s, must be finite and > 0", sigma));
        }
        return new Brush(sigma);
    }

    /**
     * The brush the tool starts with on a frame: {@code sigma = min(H, W) / 25} (6.4 px on the
     * paper's 160 x 208 frames).
     *
     * @param height the frame height, {@code >= 1}
     * @param width the frame width, {@code >= 1}
     * @return the brush
     * @throws IllegalArgumentException if a size is below 1
     * @since 0.1.0
     */
    public static Brush initial(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "frame %d x %d: height and width must be >= 1", height, width));
        }
        return new Brush(INITIAL_FRACTION * Math.min(height, width));
    }

    /**
     * @return the standard deviation in pixels
     * @since 0.1.0
     */
    public double sigma() {
        return sigma;
    }

    /**
     * @return the kernel's side {@code max(1, (int) (5 * sigma))}
     * @since 0.1.0
     */
    public int side() {
        return side;
    }

    /**
     * @return a copy of the kernel, {@code side * side} values row by row
     * @since 0.1.0
     */
    public double[] kernel() {
        return kernel.clone();
    }

    /**
     * The brush after {@code steps} mouse-wheel steps: sigma multiplied by {@link #WHEEL_FACTOR}
     * once per step up ({@code steps > 0}) or divided once per step down, one step at a time as the
     * page does, so the same sequence gives the same bits.
     *
     * @param steps wheel steps, positive to grow
     * @return the new brush ({@code this} for 0 steps)
     * @since 0.1.0
     */
    public Brush wheel(int steps) {
        double s = sigma;
        for (int i = 0; i < Math.abs(steps); i++) {
            s = steps > 0 ? s * WHEEL_FACTOR : s / WHEEL_FACTOR;
        }
        return steps == 0 ? this : of(s);
    }

    /**
     * Paints one stroke point into one frame of a map.
     *
     * @param map the map, {@code [frames, height, width]} float32 values row by row; changed in
     *     place
     * @param height the frame height, {@code >= 1}
     * @param width the frame width, {@code >= 1}
     * @param frame the frame to paint, in {@code [0, map.length / (height * width))}
     * @param x the column coordinate (pixel centres at integers)
     * @param y the row coordinate
     * @param erase {@code false} to add the kernel (left button), {@code true} to subtract it
     *     (right button)
     * @throws IllegalArgumentException if the sizes do not fit the array, the frame is out of range
     *     or a coordinate is not finite
     * @since 0.1.0
     */
    public void stamp(float[] map, int height, int width, int frame, double x, double y,
            boolean erase) {
        Objects.requireNonNull(map, "map");
        long frameSize = (long) height * width;
        if (height < 1 || width < 1 || map.length % frameSize != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "map of %d values cannot hold frames of %d x %d", map.length, height, width));
        }
        int frames = (int) (map.length / frameSize);
        if (frame < 0 || frame >= frames) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "frame: %d, must be in [0, %d)", frame, frames));
        }
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "stroke point (%s, %s): coordinates must be finite", x, y));
        }
        double top = Math.rint(y - side / 2.0);
        double left = Math.rint(x - side / 2.0);
        if (top >= height || left >= width || top + side <= 0 || left + side <= 0) {
            return;
        }
        int r0 = (int) Math.max(top, 0);
        int r1 = (int) Math.min(top + side, height);
        int c0 = (int) Math.max(left, 0);
        int c1 = (int) Math.min(left + side, width);
        double sign = erase ? -1 : 1;
        int base = frame * (int) frameSize;
        for (int r = r0; r < r1; r++) {
            int kr = (r - (int) top) * side;
            for (int c = c0; c < c1; c++) {
                int i = base + r * width + c;
                double v = map[i] + sign * kernel[kr + c - (int) left];
                map[i] = (float) Math.min(1.0, Math.max(0.0, v));
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Brush[sigma=%s, side=%d]", sigma, side);
    }
}
