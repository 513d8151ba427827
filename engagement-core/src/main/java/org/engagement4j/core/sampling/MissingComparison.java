package org.engagement4j.core.sampling;

import java.util.Objects;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * A comparison sample that could not be found (paper Section 3.4: "this was not always
 * possible").
 *
 * @param painter the painter
 * @param session the session searched
 * @param task the task
 * @param variable the variable
 * @param label the label wanted
 * @param triesUsed random starts drawn before giving up (0 when the span was too short)
 * @param reason why, in words
 * @since 0.1.0
 */
public record MissingComparison(String painter, String session, Task task, Variable variable,
        boolean label, int triesUsed, String reason) {

    /** Checks for null. */
    public MissingComparison {
        Objects.requireNonNull(painter, "painter");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(reason, "reason");
    }
}
