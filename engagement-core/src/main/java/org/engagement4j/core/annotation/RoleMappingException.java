package org.engagement4j.core.annotation;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An annotation document that breaks a rule of {@link RoleMapping}: a missing role tier, an
 * unknown task value, a task marked twice, overlapping spans in one role tier, a blank or
 * unexpected value, an annotation whose time could not be placed. The message names the file
 * (the document's source), the tier and the annotation ids, then the rule broken; the same facts
 * are available as fields.
 *
 * @since 0.1.0
 */
public class RoleMappingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The file or other source of the document. */
    private final String source;
    /** The tier at fault, or null. */
    private final String tierId;
    /** The annotations at fault, possibly none. */
    private final List<String> annotationIds;

    /**
     * @param source the file or other source of the document
     * @param tierId the tier at fault, or null when the fault concerns no single tier
     * @param annotationIds the annotations at fault (may be empty)
     * @param rule what is wrong, as a sentence fragment
     * @throws NullPointerException if {@code source}, {@code annotationIds} or {@code rule} is null
     */
    public RoleMappingException(String source, String tierId, List<String> annotationIds,
            String rule) {
        super(message(source, tierId, annotationIds, rule));
        this.source = source;
        this.tierId = tierId;
        this.annotationIds = List.copyOf(annotationIds);
    }

    private static String message(String source, String tierId, List<String> ids, String rule) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ids, "annotationIds");
        Objects.requireNonNull(rule, "rule");
        StringBuilder sb = new StringBuilder(source);
        if (tierId != null) {
            sb.append(String.format(Locale.ROOT, ", tier '%s'", tierId));
        }
        if (ids.size() == 1) {
            sb.append(", annotation ").append(ids.get(0));
        } else if (!ids.isEmpty()) {
            sb.append(", annotations ").append(String.join(", ", ids));
        }
        return sb.append(": ").append(rule).toString();
    }

    /** @return the file or other source of the document */
    public String source() {
        return source;
    }

    /** @return the tier at fault, if the fault concerns one tier */
    public Optional<String> tierId() {
        return Optional.ofNullable(tierId);
    }

    /** @return the annotations at fault, possibly none (unmodifiable) */
    public List<String> annotationIds() {
        return annotationIds;
    }
}
