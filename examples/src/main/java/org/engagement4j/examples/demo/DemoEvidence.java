package org.engagement4j.examples.demo;

import java.io.IOException;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.metrics.Volume;

/**
 * Where the demo finds the "human" attention map of a snippet: the synthetic benchmark's
 * evidence masks (where the deciding evidence of a variable lies, frame by frame, on the frames
 * the preprocessor keeps).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DemoEvidence {

    /**
     * @param session the session id
     * @param variable the variable whose evidence is wanted
     * @param startFrame the snippet's first frame (3.125 fps clip frames)
     * @param frames the snippet's frame count
     * @return the evidence, {@code [frames, height, width]} in {@code [0, 1]}, full clip frames
     *     (e.g. 160 x 208); all zero where no evidence is visible
     * @throws IOException if the masks cannot be read
     * @throws IllegalArgumentException if the session is unknown or the frames lie outside it
     */
    Volume evidence(String session, Variable variable, int startFrame, int frames)
            throws IOException;
}
