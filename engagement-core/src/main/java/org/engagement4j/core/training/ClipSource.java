package org.engagement4j.core.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.engagement4j.core.video.Clip;

/**
 * Where the baker finds each session's preprocessed recording ({@link Clip}).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ClipSource {

    /**
     * @param session a session id
     * @return its clip
     * @throws IOException if the clip cannot be read
     * @throws IllegalArgumentException if there is no clip for the session (the message names it)
     */
    Clip clip(String session) throws IOException;

    /**
     * Clips held in memory (tests, small data sets).
     *
     * @param clips session id to clip (copied)
     * @return the source
     */
    static ClipSource of(Map<String, Clip> clips) {
        Map<String, Clip> copy = new TreeMap<>(Objects.requireNonNull(clips, "clips"));
        return session -> {
            Clip c = copy.get(session);
            if (c == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "no clip for session %s; clips are given for %s", session,
                        copy.keySet()));
            }
            return c;
        };
    }

    /**
     * Clip directories {@code root/<session>/} as {@link org.engagement4j.core.video.VideoPreprocessor}
     * writes them ({@code frames.npy} + {@code clip.json}), opened once ({@link Clip#open},
     * memory-mapped) and kept.
     *
     * @param root the folder holding one clip directory per session
     * @return the source
     */
    static ClipSource ofDirectory(Path root) {
        Objects.requireNonNull(root, "root");
        Map<String, Clip> cache = new ConcurrentHashMap<>();
        return session -> {
            Clip c = cache.get(session);
            if (c == null) {
                Path dir = root.resolve(session);
                if (!java.nio.file.Files.isDirectory(dir)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "no clip directory %s for session %s (expected %s/<session>/%s)", dir,
                            session, root, Clip.DATA_FILE));
                }
                c = Clip.open(dir);
                cache.put(session, c);
            }
            return c;
        };
    }
}
