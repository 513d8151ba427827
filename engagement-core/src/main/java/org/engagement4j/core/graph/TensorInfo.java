package org.engagement4j.core.graph;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tensor found in a graph: its name, the node that produces it, and its statically known shape.
 *
 * @param name tensor name
 * @param producerNode name of the producing node; empty for a graph input or an initializer
 * @param producerOp operator of the producing node; empty for a graph input or an initializer
 * @param elementType element type, or empty when it cannot be inferred statically
 * @param shape the dimensions (fixed, symbolic or unknown), or empty when even the rank is unknown
 * @since 0.1.0
 */
public record TensorInfo(String name, String producerNode, String producerOp, Optional<ElementType> elementType,
        Optional<List<Dim>> shape) {

    /**
     * Validates the components and copies the shape.
     *
     * @throws NullPointerException if a component is null
     */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(producerNode, "producerNode");
        Objects.requireNonNull(producerOp, "producerOp");
        Objects.requireNonNull(elementType, "elementType");
        shape = Objects.requireNonNull(shape, "shape").map(List::copyOf);
    }

    /**
     * The size of one axis when it is fixed, such as the 512 features of mc3_18's encoder output
     * (axis 1).
     *
     * @param axis an axis
     * @return its size, or -1 when the shape, the axis or its size is unknown or symbolic
     */
    public long fixedDim(int axis) {
        return shape.filter(s -> axis >= 0 && axis < s.size() && s.get(axis).isFixed())
                .map(s -> s.get(axis).value()).orElse(-1L);
    }
}
