package org.engagement4j.examples.annotator;

import java.util.Objects;
import org.engagement4j.core.video.Clip;

/**
 * One snippet folder as read by {@link SnippetFolders#read}: its description and the raw
 * low-resolution frames the network sees (REFERENCE.md §8), held in memory.
 *
 * @param info the description
 * @param frames the frames {@code [T, H, W, 3]}, RGB
 * @since 0.1.0
 */
public record AnnotationSnippet(SnippetInfo info, Clip frames) {

    /** @throws NullPointerException if a component is null */
    public AnnotationSnippet {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(frames, "frames");
    }
}
