package org.engagement4j.metrics.maps;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * Brings human and machine attention maps to one common size and range before they are compared
 * (Fraile et al., ICMI 2022, Section 5; reference settings: target {@code 15x32x32}).
 *
 * <ul>
 *   <li>{@link MapKind#FINE} (human map, gradient saliency, guided backpropagation, guided
 *       Grad-CAM): a frame dimension larger than the crop size is centre-cropped to it
 *       ({@link CenterCrop}; the {@code 160x208} human canvas becomes {@code 160x160}), then
 *       {@link GaussianBlur} (kernel 25, sigma 5, reflect padding), then every {@code stride}-th
 *       row and column from index 0 ({@code [..., ::5, ::5]}: {@code 160 -> 32}).</li>
 *   <li>{@link MapKind#COARSE} (Grad-CAM, occlusion, {@code 10x10}):
 *       {@link Resampling#bicubicAntialias(Volume, int, int)} to the target size.</li>
 *   <li>Both: {@link MinMax} over the whole volume. No thresholding.</li>
 * </ul>
 *
 * <p>The reference produced NaN for a constant map at the min-max step; here the
 * {@link ConstantMapPolicy} decides (default {@link ConstantMapPolicy#REJECT}).
 *
 * <p>Instances are immutable and thread-safe; {@code withX} methods return new instances.
 *
 * @since 0.1.0
 */
public final class MapStandardizer {

    private static final MapStandardizer REFERENCE =
            new MapStandardizer(160, GaussianBlur.of(25, 5.0), 5, 32, 32, ConstantMapPolicy.REJECT);

    private final int cropSize;
    private final GaussianBlur blur;
    private final int stride;
    private final int targetHeight;
    private final int targetWidth;
    private final ConstantMapPolicy constantPolicy;

    private MapStandardizer(int cropSize, GaussianBlur blur, int stride, int targetHeight,
            int targetWidth, ConstantMapPolicy constantPolicy) {
        this.cropSize = cropSize;
        this.blur = blur;
        this.stride = stride;
        this.targetHeight = targetHeight;
        this.targetWidth = targetWidth;
        this.constantPolicy = constantPolicy;
    }

    /**
     * The paper's settings: crop 160, Gaussian kernel 25 with sigma 5, stride 5, target
     * {@code 32x32}, constant maps rejected.
     *
     * @return the reference standardiser
     */
    public static MapStandardizer reference() {
        return REFERENCE;
    }

    /**
     * @param size the side to which FINE frame dimensions larger than it are centre-cropped, at
     *     least 1
     * @return a copy with this crop size
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public MapStandardizer withCropSize(int size) {
        Inputs.requirePositive("cropSize", size);
        return new MapStandardizer(size, blur, stride, targetHeight, targetWidth, constantPolicy);
    }

    /**
     * @param kernelSize the Gaussian kernel side for FINE maps, odd and at least 1; 1 disables the
     *     blur (the reference skipped it for sigma below float32 epsilon)
     * @param sigma its standard deviation in pixels, finite and positive
     * @return a copy with this blur
     * @throws IllegalArgumentException as {@link GaussianBlur#of(int, double)}
     */
    public MapStandardizer withBlur(int kernelSize, double sigma) {
        return new MapStandardizer(cropSize, GaussianBlur.of(kernelSize, sigma), stride,
                targetHeight, targetWidth, constantPolicy);
    }

    /**
     * @param step keep every {@code step}-th row and column of blurred FINE maps, at least 1
     * @return a copy with this stride
     * @throws IllegalArgumentException if {@code step < 1}
     */
    public MapStandardizer withStride(int step) {
        Inputs.requirePositive("stride", step);
        return new MapStandardizer(cropSize, blur, step, targetHeight, targetWidth, constantPolicy);
    }

    /**
     * @param height rows of a standardised frame, at least 1
     * @param width columns of a standardised frame, at least 1
     * @return a copy with this target size
     * @throws IllegalArgumentException if a size is below 1
     */
    public MapStandardizer withTargetSize(int height, int width) {
        Inputs.requirePositive("height", height);
        Inputs.requirePositive("width", width);
        return new MapStandardizer(cropSize, blur, stride, height, width, constantPolicy);
    }

    /**
     * @param policy what min-max scaling does with a constant map
     * @return a copy with this policy
     */
    public MapStandardizer withConstantMapPolicy(ConstantMapPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return new MapStandardizer(cropSize, blur, stride, targetHeight, targetWidth, policy);
    }

    /** @return the FINE crop size */
    public int cropSize() {
        return cropSize;
    }

    /** @return the FINE Gaussian blur */
    public GaussianBlur blur() {
        return blur;
    }

    /** @return the FINE stride */
    public int stride() {
        return stride;
    }

    /** @return rows of a standardised frame */
    public int targetHeight() {
        return targetHeight;
    }

    /** @return columns of a standardised frame */
    public int targetWidth() {
        return targetWidth;
    }

    /** @return what min-max scaling does with a constant map */
    public ConstantMapPolicy constantMapPolicy() {
        return constantPolicy;
    }

    /**
     * Standardises one map; the number of frames is kept.
     *
     * @param map the raw map, {@code [T,H,W]}, every value finite
     * @param kind which path to take
     * @return a new {@code [T, targetHeight, targetWidth]} volume in {@code [0, 1]} with minimum 0
     *     and maximum 1 (or all zeros for a constant map under {@link ConstantMapPolicy#ZERO})
     * @throws IllegalArgumentException if a value is not finite, even one that the crop would
     *     remove (the message names the frame and pixel of the input); if a
     *     FINE map does not reach the target size after crop and stride (e.g. a {@code 100x100}
     *     map with the reference settings), or its frames are too small for the blur kernel; or if
     *     the standardised map is constant under {@link ConstantMapPolicy#REJECT}
     */
    public Volume standardize(Volume map, MapKind kind) {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(kind, "kind");
        // Checked before cropping so that a bad value is reported at the caller's coordinates,
        // and a bad value in the cropped-away margin is not silently dropped.
        map.requireFinite("map");
        Volume scaled;
        if (kind == MapKind.FINE) {
            int h = Math.min(map.height(), cropSize);
            int w = Math.min(map.width(), cropSize);
            int outH = (h + stride - 1) / stride;
            int outW = (w + stride - 1) / stride;
            if (outH != targetHeight || outW != targetWidth) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "map: a FINE map with %dx%d frames is %dx%d after the centre crop to at"
                                + " most %d and %dx%d after stride %d, but the target is %dx%d"
                                + " (FINE frames need %d to %d rows and %d to %d columns after"
                                + " cropping; use COARSE to resample other sizes)",
                        map.height(), map.width(), h, w, cropSize, outH, outW, stride,
                        targetHeight, targetWidth, (targetHeight - 1) * stride + 1,
                        targetHeight * stride, (targetWidth - 1) * stride + 1, targetWidth * stride));
            }
            Volume cropped = h == map.height() && w == map.width() ? map : CenterCrop.apply(map, h, w);
            scaled = blur.apply(cropped, stride);
        } else {
            scaled = Resampling.bicubicAntialias(map, targetHeight, targetWidth);
        }
        return MinMax.apply(scaled, constantPolicy);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MapStandardizer)) {
            return false;
        }
        MapStandardizer s = (MapStandardizer) o;
        return cropSize == s.cropSize && blur.equals(s.blur) && stride == s.stride
                && targetHeight == s.targetHeight && targetWidth == s.targetWidth
                && constantPolicy == s.constantPolicy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cropSize, blur, stride, targetHeight, targetWidth, constantPolicy);
    }

    @Override
    public String toString() {
        return "MapStandardizer{crop=" + cropSize + ", blur=" + blur + ", stride=" + stride
                + ", target=" + targetHeight + "x" + targetWidth + ", constant=" + constantPolicy + "}";
    }
}
