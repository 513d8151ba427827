package org.engagement4j.core.graph;

import java.util.Arrays;
import java.util.Locale;

/**
 * The tensor element types this package writes, with their ONNX {@code TensorProto.DataType} codes.
 *
 * @since 0.1.0
 */
public enum ElementType {
    /** 32-bit IEEE float (code 1). */
    FLOAT(1),
    /** Unsigned 8-bit integer (code 2), for quantised tensors. */
    UINT8(2),
    /** Signed 8-bit integer (code 3), for quantised tensors. */
    INT8(3),
    /** Signed 32-bit integer (code 6). */
    INT32(6),
    /** Signed 64-bit integer (code 7), for shapes and axes. */
    INT64(7),
    /** Boolean (code 9). */
    BOOL(9),
    /** 64-bit IEEE float (code 11). */
    DOUBLE(11);

    private final int code;

    ElementType(int code) {
        this.code = code;
    }

    /**
     * @return the ONNX {@code TensorProto.DataType} number
     */
    public int onnxCode() {
        return code;
    }

    /**
     * The element type of an ONNX data type number.
     *
     * @param code an ONNX {@code TensorProto.DataType} number
     * @return the element type
     * @throws IllegalArgumentException if the code is not one of this enum's
     */
    public static ElementType ofOnnxCode(int code) {
        for (ElementType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "unsupported ONNX element type %d, expected one of %s", code, Arrays.toString(values())));
    }
}
