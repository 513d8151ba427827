package org.engagement4j.examples.demo;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.metrics.Volume;

/**
 * Reads the evidence of one snippet from a {@link GeneratedBenchmark}'s masks, to use as the
 * "human" attention map of that snippet (where a human should look; compare with
 * {@code org.engagement4j.xai.human}): a {@code [frames, 160, W160]} volume of 0 and 1 in clip
 * coordinates, the same frames a snippet starting at that clip frame holds.
 *
 * <p>Only the requested frames are read from disk (a mask file of a 90 s session is about 9 MB).
 * The masks were checked by {@link GeneratedBenchmark#read(Path)} or written by
 * {@link GuidedPlayGenerator}; the data of an uncompressed {@code .npy} file fill its end, so the
 * frames are found from the file size. Immutable and thread-safe; holds no open file.
 *
 * @since 0.1.0
 */
public final class EvidenceMasks {

    private final GeneratedBenchmark benchmark;

    private EvidenceMasks(GeneratedBenchmark benchmark) {
        this.benchmark = benchmark;
    }

    /**
     * @param benchmark a generated or re-read benchmark
     * @return masks reader of that benchmark
     */
    public static EvidenceMasks of(GeneratedBenchmark benchmark) {
        return new EvidenceMasks(Objects.requireNonNull(benchmark, "benchmark"));
    }

    /** @return the benchmark */
    public GeneratedBenchmark benchmark() {
        return benchmark;
    }

    /**
     * The evidence of a snippet as flat values.
     *
     * @param session a session of the benchmark
     * @param variable the engagement variable whose evidence is wanted
     * @param startFrame first clip frame (3.125 fps), {@code >= 0}
     * @param frames number of frames, {@code >= 1}; {@code startFrame + frames} at most the
     *     session's clip frames
     * @return {@code frames x clipHeight x clipWidth} values 0 or 1, C order
     * @throws IllegalArgumentException if the session is unknown or the frames are out of range
     * @throws IOException if the mask file cannot be read or is shorter than its description
     */
    public float[] snippetValues(String session, Variable variable, int startFrame, int frames)
            throws IOException {
        GeneratedSession s = benchmark.session(session);
        Objects.requireNonNull(variable, "variable");
        if (startFrame < 0 || frames < 1 || (long) startFrame + frames > s.clipFrames()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session %s: frames [%d, %d) must lie in the clip's %d frames", session,
                    startFrame, (long) startFrame + frames, s.clipFrames()));
        }
        int plane = benchmark.clipWidth() * benchmark.clipHeight();
        Path file = s.evidence(variable);
        ByteBuffer buf = ByteBuffer.allocate(frames * plane);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long data = ch.size() - (long) s.clipFrames() * plane;
            if (data < 0) {
                throw new EOFException(String.format(Locale.ROOT,
                        "evidence mask %s is %d bytes, too short for %d frames of %dx%d", file,
                        ch.size(), s.clipFrames(), benchmark.clipHeight(),
                        benchmark.clipWidth()));
            }
            long pos = data + (long) startFrame * plane;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new EOFException("evidence mask " + file + " ended early");
                }
                pos += n;
            }
        }
        byte[] b = buf.array();
        float[] v = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] != 0 ? 1f : 0f;
        }
        return v;
    }

    /**
     * The evidence of a snippet as a volume (see {@link #snippetValues}).
     *
     * @param session a session of the benchmark
     * @param variable the engagement variable
     * @param startFrame first clip frame, {@code >= 0}
     * @param frames number of frames, {@code >= 1}
     * @return the {@code [frames, clipHeight, clipWidth]} volume of 0 and 1
     * @throws IllegalArgumentException if the session is unknown or the frames are out of range
     * @throws IOException if the mask file cannot be read
     */
    public Volume snippet(String session, Variable variable, int startFrame, int frames)
            throws IOException {
        return Volume.ofFloats(snippetValues(session, variable, startFrame, frames), frames,
                benchmark.clipHeight(), benchmark.clipWidth());
    }
}
