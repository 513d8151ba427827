package org.engagement4j.core.annotation;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What an annotation file's name says, as read by {@link FileNamePattern}.
 *
 * @param fileName the file name that matched
 * @param session the session id
 * @param coder the coder's name
 * @param date the date in the name, if the pattern has a {@code date} group that matched
 * @since 0.1.0
 */
public record FileNameMatch(String fileName, String session, String coder,
        Optional<LocalDate> date) {

    /**
     * Validates and copies the components.
     *
     * @param fileName the file name that matched
     * @param session the session id
     * @param coder the coder's name
     * @param date the date in the name, if the pattern has a {@code date} group that matched
     * @throws NullPointerException if a component is null
     */
    public FileNameMatch {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(coder, "coder");
        Objects.requireNonNull(date, "date");
    }
}
