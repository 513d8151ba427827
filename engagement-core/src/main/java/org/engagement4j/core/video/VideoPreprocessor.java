package org.engagement4j.core.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.engagement4j.core.Engagement4j;
import org.engagement4j.core.video.VideoFormatException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a recording into a {@link Clip}: decodes the video stream with FFmpeg, picks one source
 * frame per output slot by timestamp, converts only the picked frames to RGB at the output size
 * and writes them to a clip directory as they come (memory does not grow with the recording's
 * length). Implements the reference preprocessing (REFERENCE.md §2: drop audio, height 160 with
 * the width a multiple of 16, 3.125 fps) without its lossy re-encoding: the clip holds the scaled
 * frames themselves.
 *
 * <h2>Inputs</h2>
 * Anything FFmpeg 8 decodes; written for MP4 (H.264) and AVCHD {@code .MTS} (MPEG-TS, H.264,
 * 1440x1080 interlaced 25 fps, sample aspect 4:3, AC-3 audio: the paper's camera). Audio and
 * other streams are ignored; of several video streams FFmpeg's "best" one is used. The display
 * matrix's rotation is applied (as the {@code ffmpeg} command line does by default); the sample
 * aspect ratio is used only with {@link AspectMode#DISPLAY}; interlaced frames are deinterlaced
 * only when asked ({@link Deinterlace}). Timestamps, not frame counts, decide which frame fills
 * each slot ({@link FrameSelection}), so variable frame rate is handled; times are measured from
 * the first decoded video frame. Frames whose timestamp does not increase are skipped.
 *
 * <h2>Failures</h2>
 * A missing file: {@link NoSuchFileException}. A file that is not a decodable video (not a media
 * container, audio only, no decoder for the codec, no decodable frame, ending more than
 * {@code max(0.5 s, 1 %)} before its declared duration, more undecodable packets than
 * {@link #withMaxDecodeErrors allowed}): {@link VideoFormatException} naming the file. In every
 * failure no clip directory is created or replaced.
 *
 * <h2>Resources</h2>
 * Each call opens and frees its own native FFmpeg objects (container, decoder, scaler, frames),
 * also on failure; instances hold none and are immutable and thread-safe. FFmpeg's log goes to
 * SLF4J (logger {@code org.engagement4j.core.video.ffmpeg}, debug level) instead of stderr; this
 * setting is process-wide. The source's SHA-256 is computed on a second thread while decoding.
 *
 * @since 0.1.0
 */
public final class VideoPreprocessor {

    private static final Logger LOG = LoggerFactory.getLogger(VideoPreprocessor.class);

    private final ClipSettings settings;
    private final int decoderThreads;
    private final long maxDecodeErrors;

    private VideoPreprocessor(ClipSettings settings, int decoderThreads, long maxDecodeErrors) {
        this.settings = settings;
        this.decoderThreads = decoderThreads;
        this.maxDecodeErrors = maxDecodeErrors;
    }

    /**
     * @return a preprocessor with {@link ClipSettings#reference()}, one decoder thread per core and
     *     any number of concealed decoding errors (as the {@code ffmpeg} command line)
     */
    public static VideoPreprocessor reference() {
        return new VideoPreprocessor(ClipSettings.reference(), 0, Long.MAX_VALUE);
    }

    /**
     * @param newSettings output settings
     * @return a preprocessor with these settings
     */
    public VideoPreprocessor withSettings(ClipSettings newSettings) {
        return new VideoPreprocessor(Objects.requireNonNull(newSettings, "settings"),
                decoderThreads, maxDecodeErrors);
    }

    /**
     * @param threads decoder threads, {@code 0} for one per core (the default), at most 64
     * @return a preprocessor with this thread count
     * @throws IllegalArgumentException if {@code threads} is outside {@code [0, 64]}
     */
    public VideoPreprocessor withDecoderThreads(int threads) {
        if (threads < 0 || threads > 64) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "decoder threads %d must be in [0, 64] (0 = one per core)", threads));
        }
        return new VideoPreprocessor(settings, threads, maxDecodeErrors);
    }

    /**
     * @param max undecodable packets tolerated (FFmpeg conceals them) before the recording is
     *     refused with {@link Reason#DECODE_ERRORS}; 0 refuses any damage. Default: unlimited.
     * @return a preprocessor with this tolerance
     * @throws IllegalArgumentException if {@code max < 0}
     */
    public VideoPreprocessor withMaxDecodeErrors(long max) {
        if (max < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "max decode errors %d must be >= 0", max));
        }
        return new VideoPreprocessor(settings, decoderThreads, max);
    }

    /** @return the output settings */
    public ClipSettings settings() {
        return settings;
    }

    /**
     * Reads a recording's container and codec headers without decoding pictures.
     *
     * @param video the recording
     * @return facts about its video stream
     * @throws NoSuchFileException if it does not exist
     * @throws VideoFormatException if it has no decodable video stream
     * @throws IOException on other I/O failures
     */
    public static VideoInfo probe(Path video) throws IOException {
        try (FfmpegInput in = FfmpegInput.open(video, 1)) {
            return in.info();
        }
    }

    /**
     * Decodes a recording and hands every output frame to {@code sink} as it is made, without
     * writing anything.
     *
     * @param video the recording
     * @param sink receives the frames in order
     * @param progress receives milliseconds of media decoded out of the declared duration
     * @return facts about the video stream
     * @throws NoSuchFileException if the recording does not exist
     * @throws VideoFormatException if it is not a decodable video
     * @throws IOException from the sink or on I/O failures
     */
    public VideoInfo decode(Path video, FrameSink sink, ProgressListener progress)
            throws IOException {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(progress, "progress");
        try (FfmpegInput in = FfmpegInput.open(video, decoderThreads)) {
            run(in, video, sink, progress);
            return in.info();
        }
    }

    /**
     * Preprocesses a recording into a clip directory, replacing a clip already there, and opens
     * the result. The directory appears complete or not at all (see {@link Clip}); its parent is
     * created when missing.
     *
     * @param video the recording
     * @param clip the clip directory to write
     * @param progress receives milliseconds of media decoded out of the declared duration
     * @return the new clip, memory-mapped
     * @throws NoSuchFileException if the recording does not exist
     * @throws VideoFormatException if it is not a decodable video
     * @throws IllegalArgumentException if {@code clip} exists and is not a clip directory
     * @throws IOException on I/O failures, or if the recording changed while it was read
     */
    public Clip preprocess(Path video, Path clip, ProgressListener progress) throws IOException {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(progress, "progress");
        if (!Files.exists(video)) {
            throw new NoSuchFileException(video.toString(), null, "video file does not exist");
        }
        long sizeBefore = Files.size(video);
        Instant modifiedBefore = Files.getLastModifiedTime(video).toInstant();
        FutureTask<String> hash = new FutureTask<>(() -> Hashing.sha256(video));
        Thread hasher = new Thread(hash, "engagement4j-sha256");
        hasher.setDaemon(true);
        hasher.start();
        try (FfmpegInput in = FfmpegInput.open(video, decoderThreads)) {
            VideoInfo info = in.info();
            int[] size = settings.outputSize(info);
            try (ClipWriter writer = ClipWriter.create(clip, size[1], size[0])) {
                long[][] times = {new long[64]};
                Run result = run(in, video, (index, micros, rgb) -> {
                    writer.append(rgb);
                    if (index == times[0].length) {
                        times[0] = Arrays.copyOf(times[0], index * 2);
                    }
                    times[0][index] = micros;
                }, progress);
                String sha = await(hash, video);
                long sizeAfter = Files.size(video);
                Instant modifiedAfter = Files.getLastModifiedTime(video).toInstant();
                if (sizeAfter != sizeBefore || !modifiedAfter.equals(modifiedBefore)) {
                    throw new IOException(String.format(Locale.ROOT,
                            "video %s changed while it was being preprocessed", video));
                }
                SourceFile source = new SourceFile(video.toAbsolutePath().normalize().toString(),
                        sizeBefore, modifiedBefore, sha);
                int frames = (int) writer.frames();
                ClipInfo clipInfo = new ClipInfo(ClipInfo.FORMAT_VERSION, frames, size[1],
                        size[0], settings, source, info, result.decodedFrames(),
                        in.decodeErrors(), Arrays.copyOf(times[0], frames), Engagement4j.VERSION,
                        Instant.now());
                writer.commit(clipInfo);
            }
        } finally {
            hash.cancel(true);
        }
        return Clip.open(clip);
    }

    /**
     * Opens the clip at {@code clip} when it is {@link CacheStatus.State#FRESH fresh} for this
     * recording and these settings, and preprocesses the recording into it otherwise.
     *
     * @param video the recording
     * @param clip the clip directory
     * @param progress receives progress when the recording has to be decoded
     * @return the clip
     * @throws NoSuchFileException if the recording does not exist
     * @throws VideoFormatException if it has to be decoded and is not a decodable video
     * @throws IOException on I/O failures
     */
    public Clip cached(Path video, Path clip, ProgressListener progress) throws IOException {
        CacheStatus status = check(video, clip);
        if (status.isFresh()) {
            return Clip.open(clip);
        }
        LOG.info("clip {} for {} is {}: {}; preprocessing", clip, video, status.state(),
                status.reason());
        return preprocess(video, clip, progress);
    }

    /**
     * Whether the clip at {@code clip} was made from {@code video}'s current bytes with these
     * settings. The recording is hashed only when its size matches and its modification time
     * does not (a copy, a touch): then equal SHA-256 means fresh.
     *
     * @param video the recording
     * @param clip the clip directory
     * @return the verdict with its reason
     * @throws NoSuchFileException if the recording does not exist
     * @throws IOException on I/O failures reading the recording
     */
    public CacheStatus check(Path video, Path clip) throws IOException {
        if (!Files.exists(video)) {
            throw new NoSuchFileException(video.toString(), null, "video file does not exist");
        }
        if (!Files.exists(clip)) {
            return new CacheStatus(CacheStatus.State.MISSING, "no clip at " + clip);
        }
        ClipInfo info;
        try {
            info = Clip.validate(clip);
        } catch (IllegalArgumentException | IOException e) {
            return new CacheStatus(CacheStatus.State.CORRUPT, String.valueOf(e.getMessage()));
        }
        if (!info.settings().equals(settings)) {
            return new CacheStatus(CacheStatus.State.STALE, String.format(Locale.ROOT,
                    "made with %s, wanted %s", info.settings(), settings));
        }
        long size = Files.size(video);
        if (size != info.source().size()) {
            return new CacheStatus(CacheStatus.State.STALE, String.format(Locale.ROOT,
                    "%s is %d bytes, the clip was made from %d bytes", video, size,
                    info.source().size()));
        }
        Instant modified = Files.getLastModifiedTime(video).toInstant();
        if (modified.equals(info.source().modified())) {
            return new CacheStatus(CacheStatus.State.FRESH, "same size and modification time");
        }
        String sha = Hashing.sha256(video);
        if (sha.equals(info.source().sha256())) {
            return new CacheStatus(CacheStatus.State.FRESH,
                    "modification time differs but the SHA-256 is the same");
        }
        return new CacheStatus(CacheStatus.State.STALE, String.format(Locale.ROOT,
                "%s has SHA-256 %s, the clip was made from %s", video, sha,
                info.source().sha256()));
    }

    private record Run(long decodedFrames, long outputFrames) {
    }

    /** The decode loop shared by {@link #decode} and {@link #preprocess}. */
    private Run run(FfmpegInput in, Path video, FrameSink sink, ProgressListener progress)
            throws IOException {
        VideoInfo info = in.info();
        int[] size = settings.outputSize(info);
        Rational tb = in.timeBase();
        FrameSelector selector;
        try {
            selector = new FrameSelector(settings.selection(), tb, Rational.ofFps(settings.fps()));
        } catch (ArithmeticException e) {
            throw new VideoFormatException(video, Reason.BAD_TIMESTAMPS, String.format(
                    Locale.ROOT, "time base %s cannot be combined with %s fps", tb,
                    settings.fps()));
        }
        long totalMs = info.durationMicros().isPresent()
                ? info.durationMicros().getAsLong() / 1000 : -1;
        State st = new State();
        AVFrame previous = av_frame_alloc();
        if (previous == null || previous.isNull()) {
            throw new OutOfMemoryError("av_frame_alloc failed");
        }
        try (FrameScaler scaler = new FrameScaler(video, size[0], size[1], info.rotation(),
                settings.deinterlace())) {
            in.decode((frame, timestamp, duration) -> {
                long ts = timestamp;
                if (ts == AV_NOPTS_VALUE) {
                    if (st.decoded == 0) {
                        ts = 0;
                    } else {
                        ts = st.lastTimestamp + st.lastDuration;
                    }
                }
                if (st.decoded == 0) {
                    st.origin = ts;
                } else if (ts <= st.lastTimestamp) {
                    st.skipped++;
                    LOG.debug("video {}: frame at {} ticks does not follow {}; skipped", video,
                            ts, st.lastTimestamp);
                    return;
                }
                long rel = ts - st.origin;
                try {
                    selector.offer(rel);
                } catch (ArithmeticException e) {
                    throw new VideoFormatException(video, Reason.BAD_TIMESTAMPS, String.format(
                            Locale.ROOT, "timestamp %d (time base %s) overflows", ts, tb));
                }
                st.decoded++;
                emit(st, selector.toPrevious(), previous, st.previousId, scaler, sink, tb);
                long id = st.decoded;
                emitCurrent(st, selector.toCurrent(), frame, id, rel, scaler, sink, tb);
                av_frame_unref(previous);
                int r = av_frame_ref(previous, frame);
                if (r < 0) {
                    throw new OutOfMemoryError("av_frame_ref failed: " + FfmpegInput.error(r));
                }
                st.previousId = id;
                st.previousRel = rel;
                st.lastTimestamp = ts;
                st.lastDuration = duration;
                if (Thread.interrupted()) {
                    throw new InterruptedIOException("preprocessing of " + video
                            + " was interrupted");
                }
                long doneMs = micros(rel, tb) / 1000;
                if (doneMs - st.reportedMs >= Math.max(1000, totalMs / 200)) {
                    st.reportedMs = doneMs;
                    progress.progress(totalMs < 0 ? doneMs : Math.min(doneMs, totalMs), totalMs);
                }
            }, maxDecodeErrors);
            if (st.decoded == 0) {
                throw new VideoFormatException(video, Reason.NO_FRAMES,
                        in.decodeErrors() > 0
                                ? String.format(Locale.ROOT,
                                        "no frame could be decoded (%d decoding errors)",
                                        in.decodeErrors())
                                : "the video stream holds no frames");
            }
            long endRel = st.lastTimestamp + st.lastDuration - st.origin;
            try {
                selector.finish(endRel);
            } catch (ArithmeticException e) {
                throw new VideoFormatException(video, Reason.BAD_TIMESTAMPS, String.format(
                        Locale.ROOT, "end time %d (time base %s) overflows", endRel, tb));
            }
            emit(st, selector.toPrevious(), previous, st.previousId, scaler, sink, tb);
            if (st.emitted == 0) {
                throw new VideoFormatException(video, Reason.NO_FRAMES, String.format(Locale.ROOT,
                        "%d decoded frame(s) covering %d us give no output frame at %s fps",
                        st.decoded, micros(endRel, tb), settings.fps()));
            }
            long decodedMicros = micros(endRel, tb);
            if (info.durationMicros().isPresent()) {
                long declared = info.durationMicros().getAsLong();
                long tolerance = Math.max(500_000, declared / 100);
                if (declared - decodedMicros > tolerance) {
                    throw new VideoFormatException(video, Reason.TRUNCATED, String.format(
                            Locale.ROOT, "the stream ends after %.3f s of the %.3f s the "
                                    + "container declares (truncated?)", decodedMicros / 1e6,
                            declared / 1e6));
                }
            }
            if (st.skipped > 0 || in.decodeErrors() > 0) {
                LOG.warn("video {}: {} decoding error(s) concealed, {} frame(s) with "
                        + "non-increasing timestamps skipped", video, in.decodeErrors(),
                        st.skipped);
            }
            progress.progress(totalMs < 0 ? decodedMicros / 1000 : totalMs, totalMs);
            return new Run(st.decoded, st.emitted);
        } finally {
            av_frame_free(previous);
        }
    }

    /** Mutable state of one decode loop. */
    private static final class State {
        long decoded;
        int emitted;
        long skipped;
        long origin;
        long lastTimestamp;
        long lastDuration;
        long previousId;
        long previousRel;
        long convertedId = -1;
        long reportedMs;
        ByteBuffer converted;
    }

    private void emit(State st, int count, AVFrame frame, long id, FrameScaler scaler,
            FrameSink sink, Rational tb) throws IOException {
        if (count == 0) {
            return;
        }
        if (st.convertedId != id) {
            st.converted = scaler.convert(frame);
            st.convertedId = id;
        }
        long micros = micros(st.previousRel, tb);
        for (int i = 0; i < count; i++) {
            sink.accept(st.emitted++, micros, st.converted.duplicate().asReadOnlyBuffer());
        }
    }

    private void emitCurrent(State st, int count, AVFrame frame, long id, long rel,
            FrameScaler scaler, FrameSink sink, Rational tb) throws IOException {
        if (count == 0) {
            return;
        }
        st.converted = scaler.convert(frame);
        st.convertedId = id;
        long micros = micros(rel, tb);
        for (int i = 0; i < count; i++) {
            sink.accept(st.emitted++, micros, st.converted.duplicate().asReadOnlyBuffer());
        }
    }

    private static long micros(long ticks, Rational tb) {
        return Math.round(ticks * 1e6 * tb.num() / tb.den());
    }

    private static String await(FutureTask<String> hash, Path video) throws IOException {
        try {
            return hash.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("hashing " + video + " was interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("hashing " + video + " failed", c);
        }
    }
}
