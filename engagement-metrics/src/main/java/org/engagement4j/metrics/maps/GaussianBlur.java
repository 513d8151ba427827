package org.engagement4j.metrics.maps;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * Gaussian blur of every frame with reflect padding, as
 * {@code torchvision.transforms.functional.gaussian_blur} (torchvision 0.14) computes it: the
 * smoothing step of the FINE map standardisation (Fraile et al., ICMI 2022, Section 5; kernel 25,
 * sigma 5).
 *
 * <p>The 1-D kernel is {@code w_i = g_i / sum_j g_j} with {@code g_i = exp(-0.5 (x_i / sigma)^2)}
 * and {@code x_i = i - (k - 1) / 2} for {@code i = 0 .. k - 1} (torchvision's
 * {@code linspace(-(k-1)/2, (k-1)/2, k)}). torchvision convolves with the outer product of this
 * kernel with itself; this class applies it as two 1-D passes (rows, then columns), which is the
 * same sum in a different order: {@code O(k)} instead of {@code O(k^2)} work per pixel. Borders
 * use reflect padding (mirror without repeating the edge: index {@code -1} reads index {@code 1}),
 * which, as in PyTorch, needs {@code k / 2 < H} and {@code k / 2 < W}.
 *
 * <p>Arithmetic is in double precision, kernel included; torchvision builds the kernel in float32
 * and, for the float32 maps of the reference, convolves in float32, so results agree to about
 * {@code 1e-7} relative.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class GaussianBlur {

    private final int kernelSize;
    private final double sigma;
    private final double[] kernel;

    private GaussianBlur(int kernelSize, double sigma) {
        this.kernelSize = kernelSize;
        this.sigma = sigma;
        double half = (kernelSize - 1) * 0.5;
        double[] k = new double[kernelSize];
        double sum = 0;
        for (int i = 0; i < kernelSize; i++) {
            double x = (i - half) / sigma;
            k[i] = Math.exp(-0.5 * x * x);
            sum += k[i];
        }
        for (int i = 0; i < kernelSize; i++) {
            k[i] /= sum;
        }
        this.kernel = k;
    }

    /**
     * A blur with the given kernel.
     *
     * @param kernelSize the kernel's side, odd and at least 1 (torchvision requires odd sizes; the
     *     reference derives {@code int(5 sigma)}, plus 1 if even: 25 for sigma 5)
     * @param sigma the standard deviation in pixels, finite and positive
     * @return the blur
     * @throws IllegalArgumentException if the kernel size is even or below 1, or sigma is not a
     *     positive finite number
     */
    public static GaussianBlur of(int kernelSize, double sigma) {
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "kernelSize: %d must be odd and >= 1", kernelSize));
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "sigma: %s must be finite and > 0", sigma));
        }
        return new GaussianBlur(kernelSize, sigma);
    }

    /** @return the kernel's side */
    public int kernelSize() {
        return kernelSize;
    }

    /** @return the standard deviation in pixels */
    public double sigma() {
        return sigma;
    }

    /** @return a copy of the normalised 1-D kernel (sums to 1) */
    public double[] weights() {
        return kernel.clone();
    }

    /**
     * Blurs every frame.
     *
     * @param map the volume, every value finite
     * @return a new volume of the same shape
     * @throws IllegalArgumentException if a value is not finite (the message names the frame and
     *     pixel), or {@code kernelSize / 2} is not below both frame dimensions (reflect padding)
     */
    public Volume apply(Volume map) {
        return apply(map, 1);
    }

    /**
     * Blurs every frame and keeps every {@code stride}-th row and column starting at 0 (NumPy's
     * {@code [..., ::stride, ::stride]}), computing only the kept pixels.
     *
     * @param map the volume, every value finite
     * @param stride the step, at least 1
     * @return a new {@code [T, ceil(H / stride), ceil(W / stride)]} volume
     */
    Volume apply(Volume map, int stride) {
        Objects.requireNonNull(map, "map");
        Inputs.requirePositive("stride", stride);
        int h = map.height();
        int w = map.width();
        int pad = kernelSize / 2;
        if (pad >= h || pad >= w) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "map: frames of %dx%d are too small for a %d-pixel Gaussian kernel; reflect"
                            + " padding needs kernelSize / 2 = %d < height and < width",
                    h, w, kernelSize, pad));
        }
        map.requireFinite("map");
        int outH = (h + stride - 1) / stride;
        int outW = (w + stride - 1) / stride;
        int[] rowIndex = reflectIndex(h, pad);
        int[] colIndex = reflectIndex(w, pad);
        double[] frame = new double[h * w];
        double[] rows = new double[h * outW];
        double[] out = new double[map.frames() * outH * outW];
        for (int t = 0; t < map.frames(); t++) {
            map.copyFrameInto(t, frame, 0);
            for (int y = 0; y < h; y++) {
                int base = y * w;
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = ox * stride;
                    double s = 0;
                    for (int j = 0; j < kernelSize; j++) {
                        s += kernel[j] * frame[base + colIndex[x0 + j]];
                    }
                    rows[y * outW + ox] = s;
                }
            }
            int dst = t * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                int y0 = oy * stride;
                for (int ox = 0; ox < outW; ox++) {
                    double s = 0;
                    for (int j = 0; j < kernelSize; j++) {
                        s += kernel[j] * rows[rowIndex[y0 + j] * outW + ox];
                    }
                    out[dst + oy * outW + ox] = s;
                }
            }
        }
        return Volume.wrap(out, map.frames(), outH, outW);
    }

    /** Entry {@code i} is the source index of padded position {@code i} ({@code i - pad} unpadded). */
    private static int[] reflectIndex(int n, int pad) {
        int[] idx = new int[n + 2 * pad];
        for (int i = 0; i < idx.length; i++) {
            int p = i - pad;
            idx[i] = p < 0 ? -p : p >= n ? 2 * (n - 1) - p : p;
        }
        return idx;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianBlur && ((GaussianBlur) o).kernelSize == kernelSize
                && Double.compare(((GaussianBlur) o).sigma, sigma) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * kernelSize + Double.hashCode(sigma);
    }

    @Override
    public String toString() {
        return "GaussianBlur{kernelSize=" + kernelSize + ", sigma=" + sigma + "}";
    }
}
