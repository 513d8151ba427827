package org.engagement4j.core.annotation;

import java.util.Locale;

/**
 * The three guided-play tasks of the paper, with the tier values the reference coders used for
 * them ({@code people}, {@code eggs}, {@code drums}).
 *
 * @since 0.1.0
 */
public enum Task {
    /** Playing with dolls; coded as {@code people} in the reference ELAN files. */
    DOLLS("people"),
    /** Playing with an egg shaker; coded as {@code eggs}. */
    SHAKER("eggs"),
    /** Playing a drum; coded as {@code drums}. */
    DRUM("drums");

    private final String referenceValue;

    Task(String referenceValue) {
        this.referenceValue = referenceValue;
    }

    /** @return the value the reference coders wrote on the task tier for this task */
    public String referenceValue() {
        return referenceValue;
    }

    /** @return the paper's name in lower case: {@code dolls}, {@code shaker} or {@code drum} */
    public String paperName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
