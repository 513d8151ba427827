package org.engagement4j.core.video;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives the output frames of {@link VideoPreprocessor#decode} one at a time, in order, while
 * the recording streams past: memory stays independent of the recording's length.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface FrameSink {

    /**
     * One output frame.
     *
     * @param index output frame number, 0, 1, 2, ...
     * @param sourceTimeMicros timestamp of the source frame shown, in microseconds from the first
     *     decoded frame
     * @param rgb the frame, {@code [height, width, 3]} uint8 RGB row-major, from its position to
     *     its limit; read-only and valid only during this call (copy what you keep)
     * @throws IOException to stop decoding with that failure
     */
    void accept(int index, long sourceTimeMicros, ByteBuffer rgb) throws IOException;
}
