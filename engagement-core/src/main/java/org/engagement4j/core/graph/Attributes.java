package org.engagement4j.core.graph;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.core.onnx.OnnxProtos.AttributeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;

/**
 * The attributes of one ONNX node, immutable: every {@code withX} returns a new instance, so a
 * common set (say, a Conv's {@code dilations} and {@code group}) can be shared and extended.
 *
 * <pre>{@code
 * Attributes conv = Attributes.none()
 *         .withInts("kernel_shape", 3, 3, 3)
 *         .withInts("pads", 1, 1, 1, 1, 1, 1)
 *         .withInts("strides", 1, 1, 1);
 * }</pre>
 *
 * <p>Attributes keep the order in which they were first set; setting a name again replaces its
 * value in place.
 *
 * @since 0.1.0
 */
public final class Attributes {

    private static final Attributes NONE = new Attributes(Map.of());

    private final Map<String, AttributeProto> byName;

    private Attributes(Map<String, AttributeProto> byName) {
        this.byName = byName;
    }

    /**
     * @return the empty attribute set
     */
    public static Attributes none() {
        return NONE;
    }

    /**
     * @param name attribute name
     * @param value integer value
     * @return a copy with {@code name = value} (type INT)
     */
    public Attributes withInt(String name, long value) {
        return with(base(name).setType(AttributeProto.AttributeType.INT).setI(value).build());
    }

    /**
     * @param name attribute name
     * @param values integer values, possibly none
     * @return a copy with {@code name = values} (type INTS)
     */
    public Attributes withInts(String name, long... values) {
        AttributeProto.Builder b = base(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return with(b.build());
    }

    /**
     * @param name attribute name
     * @param value float value
     * @return a copy with {@code name = value} (type FLOAT)
     */
    public Attributes withFloat(String name, float value) {
        return with(base(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build());
    }

    /**
     * @param name attribute name
     * @param values float values, possibly none
     * @return a copy with {@code name = values} (type FLOATS)
     */
    public Attributes withFloats(String name, float... values) {
        AttributeProto.Builder b = base(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            b.addFloats(v);
        }
        return with(b.build());
    }

    /**
     * @param name attribute name
     * @param value string value (UTF-8)
     * @return a copy with {@code name = value} (type STRING)
     */
    public Attributes withString(String name, String value) {
        Objects.requireNonNull(value, "value");
        return with(base(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build());
    }

    /**
     * @param name attribute name
     * @param value tensor value (for example a {@code Constant}'s {@code value})
     * @return a copy with {@code name = value} (type TENSOR)
     */
    public Attributes withTensor(String name, TensorProto value) {
        Objects.requireNonNull(value, "value");
        return with(base(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build());
    }

    /**
     * @return the attributes in insertion order, as protobuf messages
     */
    public List<AttributeProto> asList() {
        return List.copyOf(byName.values());
    }

    /**
     * @return the number of attributes
     */
    public int size() {
        return byName.size();
    }

    /**
     * Reads the attributes of an existing node.
     *
     * @param attributes a node's attributes
     * @return them as an {@code Attributes}
     * @throws IllegalArgumentException if a name repeats or is empty
     */
    public static Attributes of(List<AttributeProto> attributes) {
        Attributes a = NONE;
        for (AttributeProto p : attributes) {
            if (a.byName.containsKey(p.getName())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "attribute '%s' given twice", p.getName()));
            }
            a = a.with(p);
        }
        return a;
    }

    private static AttributeProto.Builder base(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("attribute name must not be empty");
        }
        return AttributeProto.newBuilder().setName(name);
    }

    private Attributes with(AttributeProto p) {
        if (p.getName().isEmpty()) {
            throw new IllegalArgumentException("attribute name must not be empty");
        }
        Map<String, AttributeProto> m = new LinkedHashMap<>(byName);
        m.put(p.getName(), p);
        return new Attributes(Collections.unmodifiableMap(m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attributes a && a.byName.equals(byName);
    }

    @Override
    public int hashCode() {
        return byName.hashCode();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (AttributeProto p : byName.values()) {
            parts.add(p.getName());
        }
        return "Attributes" + parts;
    }
}
