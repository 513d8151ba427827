package org.engagement4j.core.video;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A recording that cannot be turned into a clip: not a readable container, no video stream, a
 * codec without a decoder, no decodable frame, a stream that ends before its declared duration,
 * or timestamps that cannot be ordered. Bad files are the caller's input, so this is an unchecked
 * {@link IllegalArgumentException}; the message starts with {@code video <file>:} and says which
 * rule the file broke, with FFmpeg's own error text where there is one.
 *
 * <p>A missing file is not reported with this type but with the JDK's
 * {@link java.nio.file.NoSuchFileException}; other I/O failures stay {@link java.io.IOException}.
 *
 * @since 0.1.0
 */
public final class VideoFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    public enum Reason {
        /** FFmpeg cannot open the file as a media container (not a video, corrupt header). */
        UNREADABLE_CONTAINER,
        /** The container holds no video stream (an audio-only file, a still cover image only). */
        NO_VIDEO_STREAM,
        /** The video codec has no decoder in this FFmpeg build, or the decoder refused it. */
        UNSUPPORTED_CODEC,
        /** The stream yields no decodable frame (zero length, or nothing but broken data). */
        NO_FRAMES,
        /** The stream ends well before the duration the container declares. */
        TRUNCATED,
        /** More undecodable packets than allowed. */
        DECODE_ERRORS,
        /** Frame timestamps overflow or cannot be put in order. */
        BAD_TIMESTAMPS
    }

    /** The file, kept as text so the exception stays serialisable. */
    private final String file;

    private final Reason reason;

    /**
     * @param file the recording
     * @param reason what is wrong
     * @param detail the rule broken, in words (appended after {@code video <file>: })
     */
    public VideoFormatException(Path file, Reason reason, String detail) {
        super(String.format(Locale.ROOT, "video %s: %s", file, detail));
        this.file = Objects.requireNonNull(file, "file").toString();
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return the recording that was refused */
    public Path file() {
        return Path.of(file);
    }

    /** @return what is wrong with it */
    public Reason reason() {
        return reason;
    }
}
