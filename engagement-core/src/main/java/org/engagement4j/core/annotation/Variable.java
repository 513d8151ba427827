package org.engagement4j.core.annotation;

import java.util.Locale;

/**
 * The two engagement variables of the paper, with the tier names the reference coders used
 * ({@code participating} and {@code attending}).
 *
 * @since 0.1.0
 */
public enum Variable {
    /** Task engagement: the infant takes part in the task; tier {@code participating}. */
    TASK_ENGAGEMENT("participating"),
    /** Social engagement: the infant attends to the experimenter; tier {@code attending}. */
    SOCIAL_ENGAGEMENT("attending");

    private final String referenceTier;

    Variable(String referenceTier) {
        this.referenceTier = referenceTier;
    }

    /** @return the reference ELAN tier name for this variable */
    public String referenceTier() {
        return referenceTier;
    }

    /** @return the paper's name in lower case with an underscore, e.g. {@code task_engagement} */
    public String paperName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
