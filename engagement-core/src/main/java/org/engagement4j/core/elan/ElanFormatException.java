package org.engagement4j.core.elan;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An {@code .eaf} file (or an {@link ElanDocument} built in code) breaks a rule of the ELAN
 * annotation format or of this library: malformed XML, a document type declaration (DTD, the
 * vehicle of XXE and entity-expansion attacks), time units other than milliseconds, a
 * reference to a time slot, annotation or parent tier that does not exist, an end before its
 * start, a duplicate id.
 *
 * <p>The message names the file and, when known, the line, tier, annotation and time slot, then
 * the rule broken, e.g. {@code coder1.eaf, line 57, tier 'task', annotation a12: end 1200 ms
 * (slot ts4) is before start 1500 ms (slot ts3)}. The parts are also available one by one.
 *
 * <p>It is an {@link IllegalArgumentException}: bad input is the caller's problem, and the
 * command line turns it into exit status 2 with this message.
 *
 * @since 0.1.0
 */
public class ElanFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The file or stream name. */
    private final String source;
    /** Tier id, or null. */
    private final String tierId;
    /** Annotation id, or null. */
    private final String annotationId;
    /** Time slot id, or null. */
    private final String slotId;
    /** 1-based line, or -1. */
    private final int line;
    /** The rule broken, without the location prefix. */
    private final String detail;

    /**
     * Creates an exception about one place of a file.
     *
     * @param source the file or stream name (e.g. the path as given)
     * @param tierId the tier concerned, or {@code null}
     * @param annotationId the annotation concerned, or {@code null}
     * @param detail the rule broken, e.g. {@code "end 10 ms is before start 20 ms"}
     */
    public ElanFormatException(String source, String tierId, String annotationId, String detail) {
        this(source, -1, tierId, annotationId, null, detail, null);
    }

    /**
     * Full constructor.
     *
     * @param source the file or stream name
     * @param line 1-based line number, or a value {@code < 1} if unknown
     * @param tierId the tier, or {@code null}
     * @param annotationId the annotation, or {@code null}
     * @param slotId the time slot, or {@code null}
     * @param detail the rule broken
     * @param cause the underlying failure, or {@code null}
     */
    ElanFormatException(String source, int line, String tierId, String annotationId,
            String slotId, String detail, Throwable cause) {
        super(compose(source, line, tierId, annotationId, slotId, detail), cause);
        this.source = Objects.requireNonNull(source, "source");
        this.line = line < 1 ? -1 : line;
        this.tierId = tierId;
        this.annotationId = annotationId;
        this.slotId = slotId;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    private static String compose(String source, int line, String tierId, String annotationId,
            String slotId, String detail) {
        StringBuilder sb = new StringBuilder(String.valueOf(source));
        if (line >= 1) {
            sb.append(", line ").append(line);
        }
        if (tierId != null) {
            sb.append(", tier '").append(tierId).append('\'');
        }
        if (annotationId != null) {
            sb.append(", annotation ").append(annotationId);
        }
        if (slotId != null) {
            sb.append(", time slot ").append(slotId);
        }
        return sb.append(": ").append(detail).toString();
    }

    /** @return the file or stream name the problem was found in */
    public String source() {
        return source;
    }

    /** @return the tier concerned, if known */
    public Optional<String> tierId() {
        return Optional.ofNullable(tierId);
    }

    /** @return the annotation concerned, if known */
    public Optional<String> annotationId() {
        return Optional.ofNullable(annotationId);
    }

    /** @return the time slot concerned, if known */
    public Optional<String> slotId() {
        return Optional.ofNullable(slotId);
    }

    /** @return the 1-based line of the XML element concerned, if known */
    public OptionalInt line() {
        return line < 1 ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /** @return the rule broken, without the file / tier / annotation prefix */
    public String detail() {
        return detail;
    }
}
