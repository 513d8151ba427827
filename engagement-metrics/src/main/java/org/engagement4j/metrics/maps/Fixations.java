package org.engagement4j.metrics.maps;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * An immutable {@code [T,H,W]} boolean mask of fixation locations, the ground truth of the
 * location-based metrics {@link Nss} and {@link AucJudd}.
 *
 * <p>Those metrics were defined for eye-tracking fixations (Bylinskii et al., TPAMI 2019,
 * doi:10.1109/TPAMI.2018.2815601). The human maps of Fraile et al. (ICMI 2022) are painted,
 * continuous maps instead, and the paper reports neither metric, so fixations have to be defined.
 * This library's rule ({@link #aboveVolumeFraction(Volume, double)},
 * {@link #aboveFrameFraction(Volume, double)}): a pixel is a fixation when its human value is
 * positive and at least {@code fraction} times the maximum (of the volume, or of its frame). With
 * the default fraction 0.5 this is the region above half the peak. An explicit mask can be given
 * with {@link #of(boolean[], int, int, int)} instead.
 *
 * @since 0.1.0
 */
public final class Fixations {

    private final boolean[] mask;
    private final int frames;
    private final int height;
    private final int width;
    private final int[] perFrame;
    private final int count;

    private Fixations(boolean[] mask, int frames, int height, int width) {
        this.mask = mask;
        this.frames = frames;
        this.height = height;
        this.width = width;
        this.perFrame = new int[frames];
        int total = 0;
        int n = height * width;
        for (int t = 0; t < frames; t++) {
            int c = 0;
            for (int i = t * n; i < (t + 1) * n; i++) {
                if (mask[i]) {
                    c++;
                }
            }
            perFrame[t] = c;
            total += c;
        }
        this.count = total;
    }

    /**
     * Fixations from an explicit mask.
     *
     * @param mask true at fixation pixels, C order, length {@code frames * height * width}; copied
     * @param frames number of frames, at least 1
     * @param height rows per frame, at least 1
     * @param width columns per frame, at least 1
     * @return the fixations (which may be empty; the metrics then report undefined values)
     * @throws IllegalArgumentException if a dimension is below 1 or the length does not match
     */
    public static Fixations of(boolean[] mask, int frames, int height, int width) {
        Objects.requireNonNull(mask, "mask");
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "shape [%d, %d, %d] must have every dimension >= 1", frames, height, width));
        }
        long expected = (long) frames * height * width;
        if (mask.length != expected) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "mask: length %d does not match shape [%d, %d, %d] (expected %d values)",
                    mask.length, frames, height, width, expected));
        }
        return new Fixations(mask.clone(), frames, height, width);
    }

    /**
     * Fixations where {@code human > 0} and {@code human >= fraction * max(human)}, the maximum taken
     * over the whole volume. An all-zero (or non-positive) human map has no fixations.
     *
     * @param human the human map, every value finite
     * @param fraction the threshold as a fraction of the maximum, in {@code (0, 1]}
     * @return the fixations
     * @throws IllegalArgumentException if a value is not finite or the fraction is out of range
     */
    public static Fixations aboveVolumeFraction(Volume human, double fraction) {
        return threshold(human, fraction, false);
    }

    /**
     * Fixations where {@code human > 0} and {@code human >= fraction * max(frame)}, the maximum taken
     * over each frame separately, so every painted frame has fixations. A frame with no positive
     * value has none.
     *
     * @param human the human map, every value finite
     * @param fraction the threshold as a fraction of the frame's maximum, in {@code (0, 1]}
     * @return the fixations
     * @throws IllegalArgumentException if a value is not finite or the fraction is out of range
     */
    public static Fixations aboveFrameFraction(Volume human, double fraction) {
        return threshold(human, fraction, true);
    }

    private static Fixations threshold(Volume human, double fraction, boolean byFrame) {
        Objects.requireNonNull(human, "human");
        requireFraction(fraction);
        human.requireFinite("human");
        int n = human.frameSize();
        double[] h = human.toArray();
        boolean[] mask = new boolean[h.length];
        double volumeMax = human.max();
        for (int t = 0; t < human.frames(); t++) {
            double max = volumeMax;
            if (byFrame) {
                max = Double.NEGATIVE_INFINITY;
                for (int i = t * n; i < (t + 1) * n; i++) {
                    max = Math.max(max, h[i]);
                }
            }
            double cut = fraction * max;
            for (int i = t * n; i < (t + 1) * n; i++) {
                mask[i] = h[i] > 0 && h[i] >= cut;
            }
        }
        return new Fixations(mask, human.frames(), human.height(), human.width());
    }

    /**
     * @param fraction a threshold fraction
     * @return the fraction
     * @throws IllegalArgumentException unless it is in {@code (0, 1]}
     */
    static double requireFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fraction: %s must be in (0, 1]", fraction));
        }
        return fraction;
    }

    /** @return number of frames */
    public int frames() {
        return frames;
    }

    /** @return rows per frame */
    public int height() {
        return height;
    }

    /** @return columns per frame */
    public int width() {
        return width;
    }

    /** @return the number of fixation pixels in the whole volume */
    public int count() {
        return count;
    }

    /**
     * @param t frame index
     * @return the number of fixation pixels in frame {@code t}
     */
    public int count(int t) {
        return perFrame[Objects.checkIndex(t, frames)];
    }

    /**
     * @param t frame index
     * @param y row index
     * @param x column index
     * @return whether pixel {@code [t, y, x]} is a fixation
     */
    public boolean get(int t, int y, int x) {
        Objects.checkIndex(t, frames);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return mask[(t * height + y) * width + x];
    }

    /** @return a copy of the mask in C order */
    public boolean[] toArray() {
        return mask.clone();
    }

    /** Direct read access for the metrics of this package. */
    boolean flat(int index) {
        return mask[index];
    }

    /**
     * @param machine a map to evaluate at these fixations
     * @throws IllegalArgumentException naming both shapes if they differ
     */
    void requireShapeOf(Volume machine) {
        if (machine.frames() != frames || machine.height() != height || machine.width() != width) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "shape mismatch: fixations are [%d, %d, %d] but machine is %s",
                    frames, height, width, machine.shapeString()));
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Fixations)) {
            return false;
        }
        Fixations f = (Fixations) o;
        return frames == f.frames && height == f.height && width == f.width
                && Arrays.equals(mask, f.mask);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(frames, height, width) + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return "Fixations[" + frames + ", " + height + ", " + width + "]{count=" + count + "}";
    }
}
