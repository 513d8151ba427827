package org.engagement4j.core.sampling;

import java.util.Objects;

/**
 * A snippet of an epoch plan that could not be drawn, and why.
 *
 * @param session the session id
 * @param index the snippet's position in the session's plan (its chunk)
 * @param reason what prevented it, in words
 * @since 0.1.0
 */
public record SkippedSnippet(String session, int index, String reason) {

    /** Checks for null. */
    public SkippedSnippet {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(reason, "reason");
    }
}
