package org.engagement4j.core.graph;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * An immutable float32 tensor: a shape and its values in C (row-major) order, such as one entry of
 * a PyTorch {@code state_dict}.
 *
 * @since 0.1.0
 */
public final class FloatTensor {

    private final long[] shape;
    private final float[] data;

    private FloatTensor(long[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /**
     * @param data values in C order; copied
     * @param shape dimensions; empty for a scalar
     * @return the tensor
     * @throws IllegalArgumentException if a dimension is negative or the count does not match
     */
    public static FloatTensor of(float[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        return wrap(data.clone(), shape.clone());
    }

    /** Takes ownership of the arrays (no copy): only for arrays nobody else holds. */
    static FloatTensor wrap(float[] data, long[] shape) {
        int n = Tensors.elementCount("tensor", shape);
        if (n != data.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d values given, shape %s needs %d", data.length, Arrays.toString(shape), n));
        }
        return new FloatTensor(shape, data);
    }

    /**
     * @return the dimensions (a copy)
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * @return the number of dimensions
     */
    public int rank() {
        return shape.length;
    }

    /**
     * @param axis an axis, {@code 0 <= axis < rank()}
     * @return the size of that axis
     */
    public long dim(int axis) {
        return shape[axis];
    }

    /**
     * @return the number of values
     */
    public int size() {
        return data.length;
    }

    /**
     * @return the values in C order (a copy)
     */
    public float[] data() {
        return data.clone();
    }

    /**
     * @param index flat index in C order
     * @return that value
     */
    public float get(int index) {
        return data[index];
    }

    /** The values without a copy: callers in this package must not modify them. */
    float[] view() {
        return data;
    }

    /**
     * @param expected a shape
     * @return whether this tensor has exactly that shape
     */
    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /**
     * @return the shape, for messages (values are not printed)
     */
    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
