package org.engagement4j.metrics.maps;

import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * Antialiased separable resampling of every frame, with PyTorch's semantics: the COARSE map
 * standardisation (Grad-CAM and occlusion, {@code 10x10 -> 32x32}; Fraile et al., ICMI 2022,
 * Section 5), which the reference ran as
 * {@code torchvision.transforms.functional.resize(img, [32, 32], BICUBIC, antialias=True)}, that is
 * {@code torch.nn.functional.interpolate(mode='bicubic', align_corners=False, antialias=True)}.
 *
 * <p>Along each axis of input size {@code n} and output size {@code m}, with {@code s = n / m}: output
 * {@code i} has centre {@code c = s (i + 0.5)} and support {@code r = 2 max(s, 1)}; it reads inputs
 * {@code j} from {@code max(trunc(c - r + 0.5), 0)} to {@code min(trunc(c + r + 0.5), n) - 1} with
 * weights {@code K((j - c + 0.5) / max(s, 1))} divided by their sum, where {@code K} is the
 * Keys cubic with {@code a = -0.5} (Pillow's bicubic filter):
 * {@code K(x) = ((a + 2)|x| - (a + 3)) x^2 + 1} for {@code |x| < 1},
 * {@code a (|x|^3 - 5|x|^2 + 8|x| - 4)} for {@code 1 <= |x| < 2}, else 0.
 * So when down-sampling the kernel is stretched by {@code s} (antialiasing), and at the borders it is
 * truncated and renormalised rather than clamped. This differs from PyTorch's non-antialiased
 * bicubic path ({@code a = -0.75}, clamped border indices), which the reference did not use.
 *
 * <p>Arithmetic is in double precision; PyTorch computes the weights and sums of float32 tensors in
 * float32, so results on float32 maps agree to about {@code 1e-7}, and on float64 maps to about
 * {@code 1e-15}.
 *
 * @since 0.1.0
 */
public final class Resampling {

    private static final int BICUBIC_SUPPORT = 4;

    private Resampling() {
    }

    /**
     * Resamples every frame to {@code height x width} with antialiased bicubic interpolation, up or
     * down, independently per axis.
     *
     * @param map the volume, every value finite
     * @param height output rows, at least 1
     * @param width output columns, at least 1
     * @return a new {@code [T, height, width]} volume; an axis whose size does not change is copied
     *     exactly (its weights are 0, 1, 0, 0)
     * @throws IllegalArgumentException if a size is below 1, or a value is not finite (the message
     *     names the frame and pixel)
     */
    public static Volume bicubicAntialias(Volume map, int height, int width) {
        Objects.requireNonNull(map, "map");
        Inputs.requirePositive("height", height);
        Inputs.requirePositive("width", width);
        map.requireFinite("map");
        Axis cols = Axis.bicubic(map.width(), width);
        Axis rows = Axis.bicubic(map.height(), height);
        int h = map.height();
        int w = map.width();
        double[] frame = new double[h * w];
        double[] tmp = new double[h * width];
        double[] out = new double[map.frames() * height * width];
        for (int t = 0; t < map.frames(); t++) {
            map.copyFrameInto(t, frame, 0);
            for (int y = 0; y < h; y++) {
                int src = y * w;
                for (int x = 0; x < width; x++) {
                    int start = cols.start[x];
                    int off = x * cols.stride;
                    double s = 0;
                    for (int j = 0; j < cols.length[x]; j++) {
                        s += cols.weights[off + j] * frame[src + start + j];
                    }
                    tmp[y * width + x] = s;
                }
            }
            int dst = t * height * width;
            for (int y = 0; y < height; y++) {
                int start = rows.start[y];
                int off = y * rows.stride;
                for (int x = 0; x < width; x++) {
                    double s = 0;
                    for (int j = 0; j < rows.length[y]; j++) {
                        s += rows.weights[off + j] * tmp[(start + j) * width + x];
                    }
                    out[dst + y * width + x] = s;
                }
            }
        }
        return Volume.wrap(out, map.frames(), height, width);
    }

    /** Pillow / PyTorch antialiased bicubic filter, {@code a = -0.5}. */
    static double cubic(double x) {
        final double a = -0.5;
        double ax = Math.abs(x);
        if (ax < 1) {
            return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
        }
        if (ax < 2) {
            return (((ax - 5) * ax + 8) * ax - 4) * a;
        }
        return 0;
    }

    /** Precomputed taps of one axis: output {@code i} reads {@code length[i]} inputs from {@code start[i]}. */
    static final class Axis {
        final int[] start;
        final int[] length;
        final double[] weights;
        final int stride;

        private Axis(int[] start, int[] length, double[] weights, int stride) {
            this.start = start;
            this.length = length;
            this.weights = weights;
            this.stride = stride;
        }

        static Axis bicubic(int in, int out) {
            double scale = (double) in / out;
            double stretch = Math.max(scale, 1.0);
            double support = BICUBIC_SUPPORT * 0.5 * stretch;
            double invStretch = 1.0 / stretch;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[out];
            int[] length = new int[out];
            double[] weights = new double[out * stride];
            for (int i = 0; i < out; i++) {
                double center = scale * (i + 0.5);
                // (long) truncates toward zero like PyTorch's static_cast<int64_t>
                int lo = (int) Math.max((long) (center - support + 0.5), 0L);
                int hi = (int) Math.min((long) (center + support + 0.5), (long) in);
                int n = hi - lo;
                double total = 0;
                for (int j = 0; j < n; j++) {
                    double wgt = cubic((j + lo - center + 0.5) * invStretch);
                    weights[i * stride + j] = wgt;
                    total += wgt;
                }
                if (total != 0) {
                    for (int j = 0; j < n; j++) {
                        weights[i * stride + j] /= total;
                    }
                }
                start[i] = lo;
                length[i] = n;
            }
            return new Axis(start, length, weights, stride);
        }
    }
}
