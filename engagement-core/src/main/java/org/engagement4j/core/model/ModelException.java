package org.engagement4j.core.model;

import java.util.Objects;

/**
 * A model that cannot be loaded or run: the one checked exception of this package. ONNX Runtime's
 * own {@code OrtException} never crosses the package's public API; where one is the cause, it is
 * kept as {@link #getCause()} and its text is part of the message.
 *
 * <p>Caller mistakes that need no model to detect (a batch of the wrong shape, a closed
 * classifier, a null argument) are not reported with this type but with the JDK's unchecked
 * {@link IllegalArgumentException}, {@link IllegalStateException} and
 * {@link NullPointerException}.
 *
 * @since 0.1.0
 */
public final class ModelException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The model file cannot be read (missing, unreadable, a directory). */
        UNREADABLE,
        /** The bytes are not an ONNX model ONNX Runtime accepts (truncated, not protobuf, invalid graph). */
        CORRUPT,
        /**
         * The model is valid ONNX but its inputs or outputs are not those of a video classifier:
         * wrong count, names, element type, rank or fixed dimensions. The message lists what was
         * expected.
         */
        UNSUPPORTED_MODEL,
        /** The requested execution provider (e.g. CUDA) cannot be used in this process. */
        PROVIDER_UNAVAILABLE,
        /** ONNX Runtime failed while running a loaded model (e.g. out of memory). */
        RUNTIME_FAILURE
    }

    private final Reason reason;

    /**
     * @param reason what went wrong
     * @param message the rule broken and the file or node it concerns
     */
    public ModelException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param reason what went wrong
     * @param message the rule broken and the file or node it concerns
     * @param cause the underlying failure (an I/O or ONNX Runtime exception)
     */
    public ModelException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return what went wrong */
    public Reason reason() {
        return reason;
    }
}
