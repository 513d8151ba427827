package org.engagement4j.xai.attention;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.NpyArray;
import org.engagement4j.metrics.maps.ConstantMapPolicy;
import org.engagement4j.metrics.maps.MapKind;
import org.engagement4j.metrics.maps.MapStandardizer;
import org.engagement4j.metrics.maps.MinMax;

/**
 * One machine attention map of one clip: a {@code [T, H, W]} volume with the method and target
 * that produced it and its provenance. Immutable and thread-safe.
 *
 * <h2>Raw and normalised views</h2>
 * {@link #raw()} is the map before the reference's final min-max step (what the command line
 * writes as {@code <method>_<target>.npy}): {@code max_c |gradient|} for the gradient methods,
 * the ReLU'd Grad-CAM map at the layer's resolution, {@code 1 - softmax} for occlusion. Every raw
 * map is finite and non-negative. {@link #normalized()} is the reference's min-max scaling to
 * {@code [0, 1]} over the whole clip (all frames together, so relative intensities between frames
 * are kept): {@code (x - min) / (max - min)}.
 *
 * <p>A constant map (for instance a Grad-CAM map that the ReLU zeroes everywhere, which happens
 * when no channel supports the target class) has no min-max scaling; the reference produced NaN
 * there. Here {@link #normalized()} returns all zeros for it ({@link ConstantMapPolicy#ZERO}: no
 * location is singled out) and {@link #isConstant()} tells the caller;
 * {@link #normalized(ConstantMapPolicy)} with {@link ConstantMapPolicy#REJECT} throws instead.
 *
 * @since 0.1.0
 */
public final class AttentionMap {

    private final AttentionMethod method;
    private final Target target;
    private final Volume raw;
    private final AttentionProvenance provenance;

    private AttentionMap(AttentionMethod method, Target target, Volume raw,
            AttentionProvenance provenance) {
        this.method = method;
        this.target = target;
        this.raw = raw;
        this.provenance = provenance;
    }

    /**
     * A map over the given raw values.
     *
     * @param method the method that produced it
     * @param target the class it explains
     * @param raw the raw map {@code [T, H, W]} (volumes are immutable: not copied)
     * @param provenance where it came from
     * @return the map
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a value is NaN, infinite or negative (the message names
     *     the method, the target and the position)
     */
    public static AttentionMap of(AttentionMethod method, Target target, Volume raw,
            AttentionProvenance provenance) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(provenance, "provenance");
        raw.requireNonNegative(method.id() + "_" + target.id());
        return new AttentionMap(method, target, raw, provenance);
    }

    /** @return the method that produced this map */
    public AttentionMethod method() {
        return method;
    }

    /** @return the class this map explains */
    public Target target() {
        return target;
    }

    /** @return where the map came from */
    public AttentionProvenance provenance() {
        return provenance;
    }

    /** @return the raw map {@code [T, H, W]}, before min-max scaling */
    public Volume raw() {
        return raw;
    }

    /** @return T, the number of frames */
    public int frames() {
        return raw.frames();
    }

    /** @return H, rows per frame */
    public int height() {
        return raw.height();
    }

    /** @return W, columns per frame */
    public int width() {
        return raw.width();
    }

    /** @return a new array {@code {T, H, W}} */
    public int[] shape() {
        return raw.shape();
    }

    /** @return how engagement-metrics standardises this map ({@link AttentionMethod#mapKind()}) */
    public MapKind mapKind() {
        return method.mapKind();
    }

    /** @return whether every value of the raw map is the same (min-max scaling is then undefined) */
    public boolean isConstant() {
        return raw.min() == raw.max();
    }

    /**
     * The reference's min-max scaling over the whole clip; a constant map becomes all zeros.
     *
     * @return a new volume with minimum 0 and maximum 1, or all zeros if {@link #isConstant()}
     */
    public Volume normalized() {
        return normalized(ConstantMapPolicy.ZERO);
    }

    /**
     * Min-max scaling over the whole clip with a chosen behaviour for constant maps.
     *
     * @param policy what to do when {@link #isConstant()}
     * @return a new volume with minimum 0 and maximum 1 (all zeros for a constant map under
     *     {@link ConstantMapPolicy#ZERO})
     * @throws IllegalArgumentException if the map is constant and the policy is
     *     {@link ConstantMapPolicy#REJECT}
     */
    public Volume normalized(ConstantMapPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        try {
            return MinMax.apply(raw, policy);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s map of target %s: %s",
                    method.displayName(), target.id(), e.getMessage()), e);
        }
    }

    /**
     * The raw map resampled to another size by trilinear interpolation with
     * {@code align_corners = false} (torch's {@code F.interpolate(mode="trilinear")}): how guided
     * Grad-CAM brings Grad-CAM to the input's size, and how the pictures lay a coarse map over its
     * frames.
     *
     * @param frames T', at least 1
     * @param height H', at least 1
     * @param width W', at least 1
     * @return a new volume {@code [T', H', W']} (this map's raw values when the size is the same)
     * @throws IllegalArgumentException if a size is below 1
     */
    public Volume resized(int frames, int height, int width) {
        return Trilinear.resize(raw, frames, height, width);
    }

    /**
     * The map made comparable with a human map (REFERENCE.md §9): the standardiser's path for
     * this method's {@link #mapKind()} (blur and subsample for input-resolution maps, bicubic
     * resize for Grad-CAM and occlusion), then min-max over the whole clip.
     *
     * @param standardizer e.g. {@code MapStandardizer.reference()} (15 x 32 x 32 targets)
     * @return a new {@code [T, targetHeight, targetWidth]} volume in {@code [0, 1]}
     * @throws IllegalArgumentException as {@link MapStandardizer#standardize}: a FINE map whose
     *     size does not reach the target after crop and stride, or a constant result under
     *     {@link ConstantMapPolicy#REJECT}
     */
    public Volume standardized(MapStandardizer standardizer) {
        return Objects.requireNonNull(standardizer, "standardizer").standardize(raw,
                method.mapKind());
    }

    /**
     * The raw map as a float32 NumPy array {@code [T, H, W]}, the form of the command line's
     * {@code <method>_<target>.npy} files and of the reference's saved tensors.
     *
     * @return a new array
     */
    public NpyArray toNpy() {
        return NpyArray.ofVolume(raw, NpyArray.DType.FLOAT32);
    }

    /**
     * @param o another object
     * @return whether {@code o} is a map of the same method and target with equal raw values and
     *     provenance
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AttentionMap)) {
            return false;
        }
        AttentionMap m = (AttentionMap) o;
        return method == m.method && target == m.target && raw.equals(m.raw)
                && provenance.equals(m.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, target, raw, provenance);
    }

    /** @return e.g. {@code AttentionMap[gradcam, positive, [15, 10, 10]]} */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AttentionMap[%s, %s, %s]", method.id(), target.id(),
                raw.shapeString());
    }
}
