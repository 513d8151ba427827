package org.engagement4j.core.graph;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;

/**
 * Conversions between Java arrays and ONNX {@code TensorProto}s (initializers, Constant values).
 *
 * <p>Tensors are written the way {@code torch.onnx.export} writes them: values packed little-endian
 * in {@code raw_data}. Reading accepts both {@code raw_data} and the typed repeated fields
 * ({@code float_data}, {@code int64_data}, ...), which other exporters use. Tensors stored outside
 * the model file ({@code data_location = EXTERNAL}) are not supported.
 *
 * @since 0.1.0
 */
public final class Tensors {

    private Tensors() {
    }

    /**
     * A float32 tensor.
     *
     * @param name tensor name
     * @param values values in C order; copied
     * @param dims shape; an empty shape is a scalar (one value)
     * @return the tensor
     * @throws IllegalArgumentException if the number of values does not match the shape
     */
    public static TensorProto floats(String name, float[] values, long... dims) {
        checkCount(name, values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return base(name, ElementType.FLOAT, dims).setRawData(wrap(buf)).build();
    }

    /**
     * An int64 tensor (shapes, axes, indices).
     *
     * @param name tensor name
     * @param values values in C order; copied
     * @param dims shape; an empty shape is a scalar
     * @return the tensor
     * @throws IllegalArgumentException if the number of values does not match the shape
     */
    public static TensorProto int64s(String name, long[] values, long... dims) {
        checkCount(name, values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return base(name, ElementType.INT64, dims).setRawData(wrap(buf)).build();
    }

    /**
     * An int8 tensor (quantised weights, zero points).
     *
     * @param name tensor name
     * @param values values in C order; copied
     * @param dims shape; an empty shape is a scalar
     * @return the tensor
     * @throws IllegalArgumentException if the number of values does not match the shape
     */
    public static TensorProto int8s(String name, byte[] values, long... dims) {
        checkCount(name, values.length, dims);
        return base(name, ElementType.INT8, dims).setRawData(ByteString.copyFrom(values)).build();
    }

    /**
     * A uint8 tensor; each Java byte holds the unsigned value {@code b & 0xFF}.
     *
     * @param name tensor name
     * @param values values in C order; copied
     * @param dims shape; an empty shape is a scalar
     * @return the tensor
     * @throws IllegalArgumentException if the number of values does not match the shape
     */
    public static TensorProto uint8s(String name, byte[] values, long... dims) {
        checkCount(name, values.length, dims);
        return base(name, ElementType.UINT8, dims).setRawData(ByteString.copyFrom(values)).build();
    }

    /**
     * The values of a float32 tensor.
     *
     * @param t a tensor of data type FLOAT
     * @return its values in C order (a new array)
     * @throws IllegalArgumentException if the tensor is not float32, is stored externally, or its
     *     data does not match its shape
     */
    public static float[] toFloats(TensorProto t) {
        requireType(t, ElementType.FLOAT);
        int n = elementCount(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        if (t.hasRawData()) {
            checkRawSize(t, n, 4);
            float[] out = new float[n];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        if (t.getFloatDataCount() != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor '%s' has %d float_data values, its shape %s needs %d", t.getName(),
                    t.getFloatDataCount(), t.getDimsList(), n));
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    /**
     * The values of an int64 tensor.
     *
     * @param t a tensor of data type INT64
     * @return its values in C order (a new array)
     * @throws IllegalArgumentException if the tensor is not int64, is stored externally, or its
     *     data does not match its shape
     */
    public static long[] toLongs(TensorProto t) {
        requireType(t, ElementType.INT64);
        int n = elementCount(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        if (t.hasRawData()) {
            checkRawSize(t, n, 8);
            long[] out = new long[n];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            return out;
        }
        if (t.getInt64DataCount() != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor '%s' has %d int64_data values, its shape %s needs %d", t.getName(),
                    t.getInt64DataCount(), t.getDimsList(), n));
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.getInt64Data(i);
        }
        return out;
    }

    /**
     * @param t a tensor
     * @return its shape
     */
    public static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The number of elements of a shape.
     *
     * @param what what the shape belongs to, for the error message
     * @param dims a shape; empty means a scalar (1 element)
     * @return the product of the dimensions
     * @throws IllegalArgumentException if a dimension is negative or the product exceeds
     *     {@code Integer.MAX_VALUE - 8} (the largest Java array)
     */
    static int elementCount(String what, long... dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: negative dimension in shape %s", what, Arrays.toString(dims)));
            }
            n = Math.multiplyHigh(n, d) != 0 ? Long.MAX_VALUE : n * d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: shape %s has more elements than a Java array holds", what, Arrays.toString(dims)));
            }
        }
        return (int) n;
    }

    /** A fresh buffer that nothing else references and nothing writes to again: no second copy. */
    private static ByteString wrap(ByteBuffer fresh) {
        return UnsafeByteOperations.unsafeWrap(fresh.array());
    }

    private static void checkCount(String name, int count, long[] dims) {
        Objects.requireNonNull(name, "name");
        int n = elementCount("tensor '" + name + "'", dims);
        if (n != count) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor '%s': %d values given, shape %s needs %d", name, count, Arrays.toString(dims), n));
        }
    }

    private static TensorProto.Builder base(String name, ElementType type, long[] dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type.onnxCode());
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }

    private static void requireType(TensorProto t, ElementType type) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor '%s' is stored in an external file; only embedded tensors are supported", t.getName()));
        }
        if (t.getDataType() != type.onnxCode()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor '%s' has ONNX data type %d, expected %d (%s)", t.getName(), t.getDataType(),
                    type.onnxCode(), type));
        }
    }

    private static void checkRawSize(TensorProto t, int n, int bytes) {
        if (t.getRawData().size() != (long) n * bytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor '%s' has %d bytes of raw_data, its shape %s needs %d", t.getName(),
                    t.getRawData().size(), t.getDimsList(), (long) n * bytes));
        }
    }
}
