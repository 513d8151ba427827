package org.engagement4j.core.graph.backward;

import java.util.Locale;
import java.util.Objects;

/**
 * Thrown by {@link BackwardGraph#build()} when a node on a path from a tensor of
 * {@link BackwardGraph#withRespectTo} to the logits has no gradient rule (its operator is not among
 * the supported ones, or one of its attributes or operand layouts is not). Nodes off those paths are
 * never inspected.
 *
 * @since 0.1.0
 */
public class UnsupportedOpException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The operator type, with its domain prefixed when not the default ONNX domain. */
    private final String opType;
    /** The node's name (possibly empty: ONNX allows unnamed nodes). */
    private final String nodeName;

    /**
     * @param opType the operator, such as {@code "LSTM"} or {@code "com.microsoft:FusedConv"}
     * @param nodeName the node's name
     * @param reason why it cannot be differentiated
     */
    public UnsupportedOpException(String opType, String nodeName, String reason) {
        super(String.format(Locale.ROOT, "cannot differentiate %s node '%s': %s", Objects.requireNonNull(opType,
                "opType"), Objects.requireNonNull(nodeName, "nodeName"), Objects.requireNonNull(reason, "reason")));
        this.opType = opType;
        this.nodeName = nodeName;
    }

    /**
     * @return the operator type of the offending node
     */
    public String opType() {
        return opType;
    }

    /**
     * @return the name of the offending node
     */
    public String nodeName() {
        return nodeName;
    }
}
