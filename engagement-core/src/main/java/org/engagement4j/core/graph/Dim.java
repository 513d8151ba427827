package org.engagement4j.core.graph;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.onnx.OnnxProtos.TensorShapeProto;

/**
 * One dimension of a tensor shape in an ONNX graph: a fixed size ({@code dim_value}), a named
 * symbolic size such as {@code "batch"} ({@code dim_param}), or unknown (neither).
 *
 * <p>A torchvision export with dynamic axes has input {@code [batch, 3, time, 160, 160]}: two
 * symbolic and three fixed dimensions.
 *
 * @param value the fixed size, or -1 when the dimension is symbolic or unknown
 * @param symbol the symbolic name, or {@code null} when the dimension is fixed or unknown
 * @since 0.1.0
 */
public record Dim(long value, String symbol) {

    private static final Dim UNKNOWN = new Dim(-1, null);

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if both or a negative value are given, or the symbol is blank
     */
    public Dim {
        if (symbol != null) {
            if (symbol.isBlank()) {
                throw new IllegalArgumentException("symbolic dimension name must not be blank");
            }
            if (value != -1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "dimension '%s' is symbolic, so its value must be -1, got %d", symbol, value));
            }
        } else if (value < -1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "dimension value must be >= 0 (or -1 for unknown), got %d", value));
        }
    }

    /**
     * A fixed dimension.
     *
     * @param value the size, {@code >= 0}
     * @return the dimension
     * @throws IllegalArgumentException if {@code value < 0}
     */
    public static Dim of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fixed dimension must be >= 0, got %d", value));
        }
        return new Dim(value, null);
    }

    /**
     * A symbolic (dynamic) dimension, such as {@code "batch"} or {@code "time"}.
     *
     * @param name the name shared by every dimension that must have the same size at run time
     * @return the dimension
     * @throws IllegalArgumentException if the name is blank
     */
    public static Dim symbolic(String name) {
        Objects.requireNonNull(name, "name");
        return new Dim(-1, name);
    }

    /**
     * A dimension of which nothing is known.
     *
     * @return the unknown dimension
     */
    public static Dim unknown() {
        return UNKNOWN;
    }

    /**
     * @return whether the size is fixed
     */
    public boolean isFixed() {
        return symbol == null && value >= 0;
    }

    /**
     * @return whether the dimension is a named symbol
     */
    public boolean isSymbolic() {
        return symbol != null;
    }

    /**
     * @return the protobuf form
     */
    TensorShapeProto.Dimension toProto() {
        TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
        if (isFixed()) {
            b.setDimValue(value);
        } else if (isSymbolic()) {
            b.setDimParam(symbol);
        }
        return b.build();
    }

    static Dim fromProto(TensorShapeProto.Dimension d) {
        if (d.hasDimValue()) {
            return of(d.getDimValue());
        }
        if (d.hasDimParam() && !d.getDimParam().isBlank()) {
            return symbolic(d.getDimParam());
        }
        return UNKNOWN;
    }

    /**
     * @return the size, the symbol, or {@code ?} when unknown
     */
    @Override
    public String toString() {
        if (isFixed()) {
            return Long.toString(value);
        }
        return isSymbolic() ? symbol : "?";
    }
}
