package org.engagement4j.core.transform;

import java.util.Arrays;
import java.util.Locale;

/**
 * Gaussian blur of every frame with a fixed kernel: what the reference's
 * {@code transforms.GaussianBlur(5)} applies once it has drawn sigma ({@link RandomGaussianBlur};
 * REFERENCE.md §5).
 *
 * <p><b>Semantics (torchvision 0.14,</b> {@code F.gaussian_blur(x, [k, k], [sigma, sigma])}<b>).</b>
 * The 1-D kernel is {@code w_i = g_i / sum_j g_j}, {@code g_i = exp(-0.5 ((i - (k - 1) / 2) /
 * sigma)^2)} for {@code i = 0 .. k - 1}; the 2-D kernel is its outer product with itself. Borders
 * use reflect padding (mirror without repeating the edge: index {@code -1} reads index {@code 1}),
 * which, as in PyTorch, needs {@code k / 2 < H} and {@code k / 2 < W}.
 *
 * <p>The outer product is applied as two 1-D passes (rows, then columns): the same sum in a
 * different order, {@code 2k} instead of {@code k^2} multiplications per value. Arithmetic is in
 * double precision; torchvision's float32 kernel and convolution agree with it to about
 * {@code 1e-7} relative.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class GaussianBlur implements ClipTransform {

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
     * @param kernelSize the kernel's side, odd and at least 1 (the reference uses 5)
     * @param sigma the standard deviation in pixels, finite and positive
     * @return the blur
     * @throws IllegalArgumentException if the kernel size is even or below 1, or sigma is not a
     *     positive finite number
     */
    public static GaussianBlur of(int kernelSize, double sigma) {
        Checks.oddKernel("kernelSize", kernelSize);
        Checks.positiveFinite("sigma", sigma);
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
     * Blurs every frame of every channel.
     *
     * @param clip the clip
     * @return a new clip of the same shape
     * @throws IllegalArgumentException if {@code kernelSize / 2} is not below both the height and
     *     the width (reflect padding)
     */
    @Override
    public ClipTensor apply(ClipTensor clip) {
        Checks.clip(clip);
        int h = clip.height();
        int w = clip.width();
        int pad = kernelSize / 2;
        if (pad >= h || pad >= w) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip: frames of %dx%d are too small for a %d-pixel Gaussian kernel; reflect"
                            + " padding needs kernelSize / 2 = %d < height and < width",
                    h, w, kernelSize, pad));
        }
        int[] rowIndex = reflectIndex(h, pad);
        int[] colIndex = reflectIndex(w, pad);
        float[] in = clip.data();
        float[] out = new float[in.length];
        int n = h * w;
        double[] padded = new double[w + 2 * pad];
        double[] rows = new double[n];
        double[] acc = new double[w];
        // Both passes loop over the kernel outside and the pixels inside, so that the inner
        // loops are plain multiply-adds over contiguous arrays, which the JIT vectorises.
        for (int base = 0; base < in.length; base += n) {
            for (int y = 0; y < h; y++) {
                int row = base + y * w;
                for (int i = 0; i < padded.length; i++) {
                    padded[i] = in[row + colIndex[i]];
                }
                int t = y * w;
                Arrays.fill(rows, t, t + w, 0.0);
                for (int k = 0; k < kernelSize; k++) {
                    double c = kernel[k];
                    for (int x = 0; x < w; x++) {
                        rows[t + x] += c * padded[x + k];
                    }
                }
            }
            for (int y = 0; y < h; y++) {
                Arrays.fill(acc, 0.0);
                for (int k = 0; k < kernelSize; k++) {
                    double c = kernel[k];
                    int src = rowIndex[y + k] * w;
                    for (int x = 0; x < w; x++) {
                        acc[x] += c * rows[src + x];
                    }
                }
                int dst = base + y * w;
                for (int x = 0; x < w; x++) {
                    out[dst + x] = (float) acc[x];
                }
            }
        }
        return ClipTensor.wrap(out, clip.channels(), clip.frames(), h, w);
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
        return String.format(Locale.ROOT, "GaussianBlur[kernel=%d, sigma=%s]", kernelSize, sigma);
    }
}
