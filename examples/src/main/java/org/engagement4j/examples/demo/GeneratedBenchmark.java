package org.engagement4j.examples.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A synthetic guided-play benchmark on disk, as {@link GuidedPlayGenerator} writes it:
 * <pre>
 * root/
 *   benchmark.json                          settings, seed, sessions, library version
 *   videos/&lt;session&gt;.mp4
 *   elan/&lt;session&gt;_&lt;coder&gt;_&lt;YYYYMMDD&gt;.eaf  (SessionLoader reads this folder)
 *   truth/&lt;session&gt;.json                   hidden truth: task spans, engaged intervals (ms)
 *   evidence/&lt;session&gt;_task.npy, evidence/&lt;session&gt;_social.npy   uint8 [T,160,W160], 0/1
 * </pre>
 *
 * @param root the benchmark folder
 * @param sessions the recordings, in order; copied
 * @param seed the seed it was generated from
 * @param coders the simulated coders, in order; copied
 * @param frameWidth video width in pixels
 * @param frameHeight video height in pixels
 * @param fps video frame rate
 * @param clipWidth width of the preprocessed clip (and of the masks): 208 for 416 x 320
 * @param clipHeight height of the preprocessed clip (and of the masks): 160
 * @param clipFps frame rate of the preprocessed clip (and of the masks): 3.125
 * @param libraryVersion the engagement4j version that wrote it
 * @since 0.1.0
 */
public record GeneratedBenchmark(Path root, List<GeneratedSession> sessions, long seed,
        List<String> coders, int frameWidth, int frameHeight, double fps, int clipWidth,
        int clipHeight, double clipFps, String libraryVersion) {

    /** The description file in the root. */
    public static final String DESCRIPTION_FILE = "benchmark.json";

    /** The folder of the ELAN files, relative to the root. */
    public static final String ELAN_FOLDER = "elan";

    /**
     * @throws NullPointerException if a component is null
     */
    public GeneratedBenchmark {
        Objects.requireNonNull(root, "root");
        sessions = List.copyOf(sessions);
        coders = List.copyOf(coders);
        Objects.requireNonNull(libraryVersion, "libraryVersion");
    }

    /**
     * Re-reads and validates a benchmark folder: the description, and for every session the
     * video (present, not empty), the ELAN files, the truth file (parsed) and both evidence
     * masks (uint8, shape {@code [T, clipHeight, clipWidth]}, values 0 or 1).
     *
     * @param root the benchmark folder
     * @return the benchmark
     * @throws java.nio.file.NoSuchFileException naming the first missing file
     * @throws IllegalArgumentException naming the file and the rule broken if a file is damaged
     * @throws IOException on other read failures
     */
    public static GeneratedBenchmark read(Path root) throws IOException {
        return GuidedPlayFiles.readBenchmark(root);
    }

    /** @return {@code root/elan}, the folder to hand to {@code SessionLoader.load} */
    public Path elanFolder() {
        return root.resolve(ELAN_FOLDER);
    }

    /** @return the session names in order */
    public List<String> sessionNames() {
        return sessions.stream().map(GeneratedSession::name).toList();
    }

    /**
     * @param name a session id
     * @return that session
     * @throws IllegalArgumentException if there is none, listing the sessions
     */
    public GeneratedSession session(String name) {
        for (GeneratedSession s : sessions) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "benchmark %s has no session '%s'; expected one of %s", root, name,
                sessionNames()));
    }
}
