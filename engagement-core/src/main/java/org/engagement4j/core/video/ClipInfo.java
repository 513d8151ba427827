package org.engagement4j.core.video;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a cached clip records about itself (its {@code clip.json}, see {@link Clip} for the
 * format): shape and frame rate, the settings and the recording it was made from, decoding
 * statistics, the source timestamp of every output frame, and provenance.
 *
 * @param formatVersion the clip format version ({@link #FORMAT_VERSION} for clips written now)
 * @param frames number of frames {@code T >= 1}
 * @param height frame height {@code H >= 1}
 * @param width frame width {@code W >= 1}
 * @param settings the settings the clip was made with
 * @param source the recording's identity
 * @param video facts about the recording's video stream
 * @param decodedFrames source frames decoded
 * @param decodeErrors packets that could not be decoded (FFmpeg conceals them, as its command
 *     line does)
 * @param frameTimesMicros for every output frame, the timestamp in microseconds (from the first
 *     decoded frame) of the source frame it shows; length {@code frames}, non-decreasing
 * @param libraryVersion the engagement4j version that wrote it
 * @param created when it was written
 * @since 0.1.0
 */
public record ClipInfo(int formatVersion, int frames, int height, int width,
        ClipSettings settings, SourceFile source, VideoInfo video, long decodedFrames,
        long decodeErrors, long[] frameTimesMicros, String libraryVersion, Instant created) {

    /** The format version this library writes. */
    public static final int FORMAT_VERSION = 1;

    /**
     * Copies the frame times.
     *
     * @throws IllegalArgumentException if a size is not positive, the frame times do not match
     *     {@code frames} or decrease, or a count is negative
     */
    public ClipInfo {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        Objects.requireNonNull(created, "created");
        frameTimesMicros = frameTimesMicros.clone();
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip shape [%d, %d, %d, 3] must be positive", frames, height, width));
        }
        if (decodedFrames < 0 || decodeErrors < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "decoded frames %d and decode errors %d must be >= 0", decodedFrames,
                    decodeErrors));
        }
        if (frameTimesMicros.length != frames) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d frame times for %d frames", frameTimesMicros.length, frames));
        }
        for (int i = 1; i < frameTimesMicros.length; i++) {
            if (frameTimesMicros[i] < frameTimesMicros[i - 1]) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "frame time %d us of frame %d is before that of frame %d", 
                        frameTimesMicros[i], i, i - 1));
            }
        }
    }

    /** @return the output frame rate ({@code settings().fps()}) */
    public double fps() {
        return settings.fps();
    }

    /** @return a copy of the per-frame source timestamps in microseconds */
    @Override
    public long[] frameTimesMicros() {
        return frameTimesMicros.clone();
    }

    /**
     * @param frame an output frame number in {@code [0, frames)}
     * @return the timestamp in microseconds of the source frame it shows
     */
    public long frameTimeMicros(int frame) {
        Objects.checkIndex(frame, frames);
        return frameTimesMicros[frame];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipInfo c && formatVersion == c.formatVersion && frames == c.frames
                && height == c.height && width == c.width && settings.equals(c.settings)
                && source.equals(c.source) && video.equals(c.video)
                && decodedFrames == c.decodedFrames && decodeErrors == c.decodeErrors
                && Arrays.equals(frameTimesMicros, c.frameTimesMicros)
                && libraryVersion.equals(c.libraryVersion) && created.equals(c.created);
    }

    @Override
    public int hashCode() {
        return Objects.hash(formatVersion, frames, height, width, settings, source, video,
                decodedFrames, decodeErrors, Arrays.hashCode(frameTimesMicros), libraryVersion,
                created);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "ClipInfo[v%d, %d x %dx%d at %s fps, source %s (%d bytes, sha256 %s), %s %dx%d]",
                formatVersion, frames, width, height, settings.fps(), source.path(), source.size(),
                source.sha256(), video.codec(), video.storedWidth(), video.storedHeight());
    }
}
