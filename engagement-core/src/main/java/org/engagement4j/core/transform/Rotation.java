package org.engagement4j.core.transform;

import java.util.Arrays;
import java.util.Locale;

/**
 * Rotation of every frame about its centre by a fixed angle, bilinear, output the same size, the
 * area that comes from outside the frame filled with 0: the first augmentation of the reference
 * ({@code transforms.RandomRotation(degrees=(-8, +8), interpolation=BILINEAR)} applied to a
 * normalised CTHW tensor, REFERENCE.md §5). On normalised clips, 0 is the training mean colour.
 *
 * <p><b>Semantics (torchvision 0.14 on tensors).</b> A positive angle turns the picture
 * counter-clockwise. The value at output pixel {@code (i, j)} is read at the source position
 * <pre>
 *   x = (j - (W - 1) / 2) cos a - (i - (H - 1) / 2) sin a + (W - 1) / 2
 *   y = (j - (W - 1) / 2) sin a + (i - (H - 1) / 2) cos a + (H - 1) / 2
 * </pre>
 * ({@code a} the angle) by bilinear interpolation in which neighbours outside the frame count as
 * 0 ({@code grid_sample(..., padding_mode="zeros", align_corners=False)}). Because
 * {@code RandomRotation} passes {@code fill=0} explicitly, torchvision then also multiplies each
 * value by the interpolated in-frame weight {@code m} (the same bilinear interpolation of an
 * all-ones frame) and adds {@code (1 - m) * fill}: near the border, values are multiplied by
 * {@code m} once more than with {@code F.rotate(..., fill=None)}. This class reproduces the
 * reference, mask included.
 *
 * <p><b>Precision.</b> torchvision computes the sampling positions in float32 (the rotation
 * matrix, a normalised grid, then {@code ((g + 1) W / 2) - 1/2}), and PyTorch's CPU kernels
 * (the Debian build of PyTorch 1.13 on x86-64 used for the fixtures) contract two of those steps
 * into fused multiply-adds. On real data the rounding of the positions
 * (up to about {@code 1e-5} pixel for a 208-pixel frame) changes values by up to {@code 1e-4}, so
 * this class computes the positions with exactly the same float32 operations and fused
 * multiply-adds; the interpolation itself is done in double precision. The result agrees with
 * torchvision 0.14 to about {@code 1e-6} (checked to {@code 1e-5} by fixtures). A consequence
 * shared with torchvision: rotating by 0 is the identity only up to that rounding (values move by
 * at most about {@code 2e-5} times the largest difference between neighbouring pixels or the
 * largest magnitude, whichever is larger).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Rotation implements ClipTransform {

    private final double degrees;

    private Rotation(double degrees) {
        this.degrees = degrees;
    }

    /**
     * @param degrees the angle, counter-clockwise, finite (any magnitude)
     * @return the rotation
     * @throws IllegalArgumentException if the angle is NaN or infinite
     */
    public static Rotation of(double degrees) {
        return new Rotation(Checks.finite("degrees", degrees));
    }

    /** @return the angle in degrees, counter-clockwise */
    public double degrees() {
        return degrees;
    }

    /**
     * Rotates every frame of every channel.
     *
     * @param clip the clip, any shape
     * @return a new clip of the same shape
     */
    @Override
    public ClipTensor apply(ClipTensor clip) {
        Checks.clip(clip);
        int h = clip.height();
        int w = clip.width();
        int n = h * w;
        Plan plan = new Plan(degrees, h, w);
        float[] in = clip.data();
        float[] out = new float[in.length];
        int[] pixel = plan.pixel;
        int[] first = plan.first;
        float[] weight = plan.weight;
        int[] edgePixel = plan.edgePixel;
        int[] edgeIndex = plan.edgeIndex;
        float[] edgeWeight = plan.edgeWeight;
        for (int base = 0; base < in.length; base += n) {
            for (int i = 0, k = 0; i < pixel.length; i++, k += 4) {
                int s = base + first[i];
                double v = (double) weight[k] * in[s] + (double) weight[k + 1] * in[s + 1]
                        + (double) weight[k + 2] * in[s + w] + (double) weight[k + 3] * in[s + w + 1];
                out[base + pixel[i]] = (float) v;
            }
            for (int i = 0, k = 0; i < edgePixel.length; i++, k += 4) {
                double v = (double) edgeWeight[k] * in[base + edgeIndex[k]]
                        + (double) edgeWeight[k + 1] * in[base + edgeIndex[k + 1]]
                        + (double) edgeWeight[k + 2] * in[base + edgeIndex[k + 2]]
                        + (double) edgeWeight[k + 3] * in[base + edgeIndex[k + 3]];
                out[base + edgePixel[i]] = (float) v;
            }
        }
        return ClipTensor.wrap(out, clip.channels(), clip.frames(), h, w);
    }

    /**
     * Where each output pixel reads, computed once per clip and used for every plane. Pixels whose
     * 4 neighbours all lie inside the frame (nearly all of them) keep the index of the top-left
     * neighbour and 4 weights; pixels near the border keep 4 indices and 4 weights, with weight 0
     * (and index 0) for neighbours outside; pixels with no neighbour inside are left at 0. The
     * in-frame weight {@code m} of torchvision's fill step is folded into the weights.
     */
    private static final class Plan {
        final int[] pixel;
        final int[] first;
        final float[] weight;
        final int[] edgePixel;
        final int[] edgeIndex;
        final float[] edgeWeight;

        Plan(double degrees, int h, int w) {
            int n = h * w;
            int[] px = new int[n];
            int[] fi = new int[n];
            float[] wt = new float[4 * n];
            int[] ep = new int[n];
            int[] ei = new int[4 * n];
            float[] ew = new float[4 * n];
            int inner = 0;
            int edge = 0;
            // torchvision's _get_inverse_affine_matrix(center=0, angle=-degrees, scale=1,
            // shear=0) reduces to [cos r, sin r, 0, -sin r, cos r, 0], r = radians(-degrees),
            // in float32; then the grid is divided by (W / 2, H / 2).
            double r = Math.toRadians(-degrees);
            float cos = (float) Math.cos(r);
            float sin = (float) Math.sin(r);
            float halfW = (float) (0.5 * w);
            float halfH = (float) (0.5 * h);
            float r00 = cos / halfW;
            float r10 = sin / halfW;
            float r01 = -sin / halfH;
            float r11 = cos / halfH;
            // linspace(-W/2 + 1/2, W/2 - 1/2, W) has step 1: every value is exact in float32
            float x0 = (float) (-w * 0.5 + 0.5);
            float y0 = (float) (-h * 0.5 + 0.5);
            float[] cw = new float[4];
            for (int i = 0; i < h; i++) {
                float by = y0 + i;
                for (int j = 0; j < w; j++) {
                    float bx = x0 + j;
                    // grid = base @ theta^T / (W/2, H/2), as bmm computes it (second term fused)
                    float gx = Math.fma(by, r10, bx * r00);
                    float gy = Math.fma(by, r11, bx * r01);
                    // grid_sample's unnormalisation ((g + 1) * size / 2) - 1/2, fused as well
                    float ix = Math.fma(gx + 1f, halfW, -0.5f);
                    float iy = Math.fma(gy + 1f, halfH, -0.5f);
                    float fx = (float) Math.floor(ix);
                    float fy = (float) Math.floor(iy);
                    float wx = ix - fx;
                    float wy = iy - fy;
                    float ex = 1f - wx;
                    float sy = 1f - wy;
                    cw[0] = sy * ex;
                    cw[1] = sy * wx;
                    cw[2] = wy * ex;
                    cw[3] = wy * wx;
                    // long: a far-off position must not wrap around when converted
                    long cx = (long) fx;
                    long cy = (long) fy;
                    float mask = 0f;
                    int insideCount = 0;
                    for (int c = 0; c < 4; c++) {
                        long x = cx + (c & 1);
                        long y = cy + (c >> 1);
                        if (x >= 0 && x < w && y >= 0 && y < h) {
                            mask += cw[c];
                            insideCount++;
                        } else {
                            cw[c] = 0f;
                        }
                    }
                    int p = i * w + j;
                    if (insideCount == 4) {
                        px[inner] = p;
                        fi[inner] = (int) (cy * w + cx);
                        for (int c = 0; c < 4; c++) {
                            wt[4 * inner + c] = cw[c] * mask;
                        }
                        inner++;
                    } else if (insideCount > 0) {
                        ep[edge] = p;
                        for (int c = 0; c < 4; c++) {
                            long x = cx + (c & 1);
                            long y = cy + (c >> 1);
                            boolean inside = x >= 0 && x < w && y >= 0 && y < h;
                            ei[4 * edge + c] = inside ? (int) (y * w + x) : 0;
                            ew[4 * edge + c] = cw[c] * mask;
                        }
                        edge++;
                    }
                }
            }
            pixel = Arrays.copyOf(px, inner);
            first = Arrays.copyOf(fi, inner);
            weight = Arrays.copyOf(wt, 4 * inner);
            edgePixel = Arrays.copyOf(ep, edge);
            edgeIndex = Arrays.copyOf(ei, 4 * edge);
            edgeWeight = Arrays.copyOf(ew, 4 * edge);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rotation && Double.compare(((Rotation) o).degrees, degrees) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(degrees);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Rotation[%s degrees]", degrees);
    }
}
