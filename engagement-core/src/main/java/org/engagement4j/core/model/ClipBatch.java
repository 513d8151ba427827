package org.engagement4j.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.transform.ClipTensor;

/**
 * A batch of normalised clips of one shape: {@code float} values in {@code [N, C, T, H, W]} order
 * (C order, the last index fastest), the input of {@link EngagementClassifier}. Immutable: the
 * factories copy what they are given and {@link #toArray()} returns a copy.
 *
 * <p>Every value is finite (a NaN would silently turn every logit of its row into NaN) and every
 * dimension is at least 1. The batch holds at most {@link ClipTensor#MAX_ELEMENTS} values.
 *
 * @since 0.1.0
 */
public final class ClipBatch {

    private final float[] data;
    private final int[] shape;

    private ClipBatch(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /**
     * A batch of copies of the given clips, in order.
     *
     * @param clips at least one clip, all of the same shape {@code [C, T, H, W]}
     * @return the batch {@code [clips.size(), C, T, H, W]}
     * @throws NullPointerException if the list or a clip is null
     * @throws IllegalArgumentException if the list is empty, the clips differ in shape (the
     *     message gives the first one that differs), or the batch would exceed
     *     {@link ClipTensor#MAX_ELEMENTS} values
     */
    public static ClipBatch of(List<ClipTensor> clips) {
        Objects.requireNonNull(clips, "clips");
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("clips: empty list, a batch needs at least one clip");
        }
        ClipTensor first = Objects.requireNonNull(clips.get(0), "clips[0]");
        int[] clipShape = first.shape();
        long total = (long) clips.size() * first.size();
        if (total > ClipTensor.MAX_ELEMENTS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clips: %d clips of %s hold %d values, more than one array can (%d)",
                    clips.size(), first, total, ClipTensor.MAX_ELEMENTS));
        }
        float[] out = new float[(int) total];
        for (int i = 0; i < clips.size(); i++) {
            ClipTensor c = Objects.requireNonNull(clips.get(i), "clips[" + i + "]");
            if (!Arrays.equals(clipShape, c.shape())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "clips: clip %d is %s but clip 0 is %s; a batch needs one shape", i, c,
                        first));
            }
            c.copyTo(out, i * first.size());
        }
        int[] shape = new int[] {clips.size(), clipShape[0], clipShape[1], clipShape[2],
            clipShape[3]};
        return new ClipBatch(out, shape);
    }

    /**
     * A batch of one or more clips.
     *
     * @param clips at least one clip, all of the same shape
     * @return the batch
     * @throws IllegalArgumentException as {@link #of(List)}
     */
    public static ClipBatch of(ClipTensor... clips) {
        Objects.requireNonNull(clips, "clips");
        return of(Arrays.asList(clips));
    }

    /**
     * A batch holding a copy of {@code data}, e.g. a float32 {@code .npy} array.
     *
     * @param data the values in {@code [N, C, T, H, W]} order, every one finite
     * @param shape the five dimensions {@code N, C, T, H, W}, each at least 1
     * @return the batch
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code shape} does not have 5 entries (a rank-4
     *     {@code [C, T, H, W]} array is one clip: wrap it with {@link #of(ClipTensor...)}), a
     *     dimension is below 1, {@code data.length} does not match, or a value is not finite (the
     *     message gives its index in the batch)
     */
    public static ClipBatch of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        if (shape.length != 5) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "shape: %s has rank %d, expected rank 5 [N, C, T, H, W]",
                    Arrays.toString(shape), shape.length));
        }
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "shape: %s has a dimension below 1", Arrays.toString(shape)));
            }
            n *= d;
            if (n > ClipTensor.MAX_ELEMENTS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "shape: %s holds more values than one array can (%d)",
                        Arrays.toString(shape), ClipTensor.MAX_ELEMENTS));
            }
        }
        if (data.length != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "data: length %d does not match shape %s (%d values)", data.length,
                    Arrays.toString(shape), n));
        }
        int perClip = (int) (n / shape[0]);
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "data: value %s at index %d (clip %d) is not finite", data[i], i,
                        i / perClip));
            }
        }
        return new ClipBatch(data.clone(), shape.clone());
    }

    /** @return N, the number of clips */
    public int size() {
        return shape[0];
    }

    /** @return a new array {@code {N, C, T, H, W}} */
    public int[] shape() {
        return shape.clone();
    }

    /** @return a new array {@code {C, T, H, W}}, the shape of one clip */
    public int[] clipShape() {
        return Arrays.copyOfRange(shape, 1, 5);
    }

    /** @return {@code N * C * T * H * W}, the number of values */
    public int elementCount() {
        return data.length;
    }

    /**
     * One clip of the batch (a copy).
     *
     * @param index the clip, {@code 0 <= index < N}
     * @return the clip {@code [C, T, H, W]}
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public ClipTensor clip(int index) {
        Objects.checkIndex(index, shape[0]);
        int per = data.length / shape[0];
        return ClipTensor.of(Arrays.copyOfRange(data, index * per, (index + 1) * per), shape[1],
                shape[2], shape[3], shape[4]);
    }

    /** @return a copy of the values in {@code [N, C, T, H, W]} order */
    public float[] toArray() {
        return data.clone();
    }

    /** The backing array itself, never to be modified: for the classifier's tensor creation. */
    float[] data() {
        return data;
    }

    /**
     * @param o another object
     * @return whether {@code o} is a batch of the same shape with bit-identical values
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClipBatch && Arrays.equals(shape, ((ClipBatch) o).shape)
                && Arrays.equals(data, ((ClipBatch) o).data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /** @return the shape, e.g. {@code ClipBatch[8, 3, 15, 160, 160]} */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClipBatch[%d, %d, %d, %d, %d]", shape[0], shape[1],
                shape[2], shape[3], shape[4]);
    }
}
