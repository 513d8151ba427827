package org.engagement4j.examples.annotator;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * What the annotator shows about one snippet to paint ({@value SnippetFolders#INFO_FILE} of a
 * snippet folder): where it comes from and what it was chosen for, never who coded it, so the
 * painter is not primed by a coder's name.
 *
 * @param session the recording's session name, not blank
 * @param startMs the snippet's start, ms from the start of the recording, {@code >= 0}
 * @param task the guided-play task
 * @param variable the target variable the snippet was chosen for
 * @param consensusLabel the label the coders agreed on (1 engaged, 0 not engaged), or empty when
 *     not known
 * @param fps the frame rate of the frames, finite and {@code > 0} (3.125 in the paper)
 * @since 0.1.0
 */
public record SnippetInfo(String session, long startMs, Task task, Variable variable,
        Optional<Integer> consensusLabel, double fps) {

    /** The paper's frame rate, 25 / 8 frames per second. */
    public static final double PAPER_FPS = 3.125;

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the session is blank, {@code startMs} negative, the
     *     label not 0 or 1, or {@code fps} not finite and positive
     */
    public SnippetInfo {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(consensusLabel, "consensusLabel");
        if (session.isBlank()) {
            throw new IllegalArgumentException("session: must not be blank");
        }
        if (startMs < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "startMs: %d, must be >= 0", startMs));
        }
        if (consensusLabel.isPresent() && consensusLabel.get() != 0 && consensusLabel.get() != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "consensusLabel: %d, must be 0 (not engaged) or 1 (engaged)",
                    consensusLabel.get()));
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fps: %s, must be finite and > 0", fps));
        }
    }

    /**
     * A snippet at the paper's frame rate.
     *
     * @param session the session
     * @param startMs the start in ms
     * @param task the task
     * @param variable the target variable
     * @param consensusLabel the consensus label, or null when not known
     * @return the description
     * @throws IllegalArgumentException as the canonical constructor
     * @since 0.1.0
     */
    public static SnippetInfo of(String session, long startMs, Task task, Variable variable,
            Boolean consensusLabel) {
        return new SnippetInfo(session, startMs, task, variable,
                Optional.ofNullable(consensusLabel).map(b -> b ? 1 : 0), PAPER_FPS);
    }

    /**
     * @param fps another frame rate
     * @return a copy with that frame rate
     * @since 0.1.0
     */
    public SnippetInfo withFps(double fps) {
        return new SnippetInfo(session, startMs, task, variable, consensusLabel, fps);
    }
}
