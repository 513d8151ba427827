package org.engagement4j.examples.annotator;

import java.io.IOException;
import java.nio.file.Path;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.video.Clip;

/** Small snippet folders for the annotator's tests. */
final class TestSnippets {

    static final int T = 5;
    static final int H = 40;
    static final int W = 52;

    private TestSnippets() {
    }

    /** Frames with a different pattern per frame, so mixed-up frames are noticed. */
    static Clip frames(int t, int h, int w) {
        byte[] rgb = new byte[t * h * w * 3];
        for (int i = 0; i < rgb.length; i++) {
            int px = i / 3;
            rgb[i] = (byte) ((px * 7 + (i % 3) * 50 + (px / (h * w)) * 31) & 0xff);
        }
        return Clip.of(rgb, t, h, w, SnippetInfo.PAPER_FPS);
    }

    static SnippetInfo info(String session) {
        return SnippetInfo.of(session, 83_200, Task.DOLLS, Variable.SOCIAL_ENGAGEMENT, true);
    }

    /** Writes {@code root/id} with {@link #T} x {@link #H} x {@link #W} frames. */
    static Path write(Path root, String id) throws IOException {
        Path dir = root.resolve(id);
        SnippetFolders.write(dir, info("s" + id), frames(T, H, W));
        return dir;
    }
}
