package org.engagement4j.examples.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Variable;

/**
 * One recording of a {@link GeneratedBenchmark}: its video, its coders' ELAN files, the hidden
 * truth and the two evidence masks. Paths are absolute or relative as the benchmark's root was
 * given.
 *
 * @param name the session id ({@code syn01}, {@code syn02}, ...)
 * @param video {@code videos/<name>.mp4}
 * @param elanFiles {@code elan/<name>_<coder>_<YYYYMMDD>.eaf}, in coder order; copied
 * @param truth {@code truth/<name>.json}
 * @param taskEvidence {@code evidence/<name>_task.npy}, uint8 {@code [T, 160, W160]}
 * @param socialEvidence {@code evidence/<name>_social.npy}, uint8 {@code [T, 160, W160]}
 * @param durationMs the session length in ms (the video covers at least this much)
 * @param clipFrames {@code T}: frames of the preprocessed clip (3.125 fps), and of each mask
 * @since 0.1.0
 */
public record GeneratedSession(String name, Path video, List<Path> elanFiles, Path truth,
        Path taskEvidence, Path socialEvidence, long durationMs, int clipFrames) {

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if there is no ELAN file, the duration is not positive or
     *     there is no clip frame
     */
    public GeneratedSession {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(video, "video");
        elanFiles = List.copyOf(elanFiles);
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(taskEvidence, "taskEvidence");
        Objects.requireNonNull(socialEvidence, "socialEvidence");
        if (elanFiles.isEmpty() || durationMs <= 0 || clipFrames <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session %s: needs at least one ELAN file (%d), a positive duration (%d ms) "
                            + "and clip frames (%d)", name, elanFiles.size(), durationMs,
                    clipFrames));
        }
    }

    /**
     * @param variable an engagement variable
     * @return {@link #taskEvidence()} or {@link #socialEvidence()}
     */
    public Path evidence(Variable variable) {
        return Objects.requireNonNull(variable, "variable") == Variable.TASK_ENGAGEMENT
                ? taskEvidence : socialEvidence;
    }

    /**
     * Reads the hidden truth back.
     *
     * @return the truth as annotations of the coder {@code truth}: task spans, engaged time per
     *     task and variable, masked time
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file if it is not a valid truth file
     */
    public CoderAnnotations readTruth() throws IOException {
        return GuidedPlayFiles.readTruth(truth);
    }
}
