package org.engagement4j.core.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_frame_rate;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_sample_aspect_ratio;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_DECODER_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_STREAM_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_BB;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_BT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_PROGRESSIVE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_TB;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_TT;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_get_media_type_string;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.engagement4j.core.video.VideoFormatException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open recording: the container, its best video stream and a decoder for it (libavformat and
 * libavcodec through the JavaCPP presets, the layer JavaCV's {@code FFmpegFrameGrabber} is built
 * on). Frames come out with their timestamps in the stream's time base; nothing is converted here.
 *
 * <p>Every native object is freed in {@link #close()}, also when opening fails half-way.
 */
final class FfmpegInput implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegInput.class);

    /** FFmpeg's own messages, routed to SLF4J instead of the process's stderr. */
    private static final Logger FFMPEG_LOG = LoggerFactory.getLogger("org.engagement4j.core.video.ffmpeg");

    /** Kept reachable for as long as the class lives: FFmpeg calls it from native code. */
    private static final LogCallback LOG_CALLBACK = installLogCallback();

    /** AVERROR(EAGAIN): the decoder wants more input before it can return a frame. */
    private static final int EAGAIN = org.bytedeco.ffmpeg.presets.avutil.AVERROR_EAGAIN();

    private final Path file;
    private AVFormatContext format;
    private AVCodecContext decoder;
    private AVPacket packet;
    private AVFrame frame;
    private int streamIndex;
    private Rational timeBase;
    private VideoInfo info;
    private long defaultDuration;
    private long decodeErrors;
    private long packetsRead;

    /** Receives decoded frames. */
    @FunctionalInterface
    interface FrameHandler {
        /**
         * @param frame the decoded frame, owned by the input: valid only during the call (take an
         *     {@code av_frame_ref} to keep it)
         * @param timestamp its best-effort presentation timestamp in the stream's time base
         * @param duration its duration in the same time base, {@code > 0} (estimated from the
         *     frame rate when the stream does not say)
         */
        void frame(AVFrame frame, long timestamp, long duration) throws IOException;
    }

    private FfmpegInput(Path file, int threads) throws IOException {
        this.file = file;
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "video file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new VideoFormatException(file, Reason.UNREADABLE_CONTAINER,
                    "not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new java.nio.file.AccessDeniedException(file.toString(), null,
                    "video file is not readable");
        }
        try {
            openAll(threads);
        } catch (RuntimeException | IOException | Error e) {
            close();
            throw e;
        }
    }

    private void openAll(int threads) throws IOException {
        AVFormatContext ctx = new AVFormatContext(null);
        // "file:" keeps a colon in the name from being read as a protocol (http:, pipe:, ...)
        String url = "file:" + file.toAbsolutePath();
        int r;
        try (BytePointer urlBytes = new BytePointer(url, StandardCharsets.UTF_8)) {
            r = avformat_open_input(ctx, urlBytes, null, null);
        }
        if (r < 0) {
            throw new VideoFormatException(file, Reason.UNREADABLE_CONTAINER,
                    "not a readable media container (FFmpeg: " + error(r) + ")");
        }
        format = ctx;
        r = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (r < 0) {
            throw new VideoFormatException(file, Reason.UNREADABLE_CONTAINER,
                    "cannot read stream information (FFmpeg: " + error(r) + ")");
        }
        r = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (r == AVERROR_STREAM_NOT_FOUND || r >= 0 && isAttachedPicture(format.streams(r))) {
            throw new VideoFormatException(file, Reason.NO_VIDEO_STREAM,
                    "no video stream (streams: " + describeStreams() + ")");
        }
        if (r < 0) {
            throw new VideoFormatException(file, r == AVERROR_DECODER_NOT_FOUND
                    ? Reason.UNSUPPORTED_CODEC : Reason.UNREADABLE_CONTAINER,
                    "no usable video stream (FFmpeg: " + error(r) + ")");
        }
        streamIndex = r;
        AVStream stream = format.streams(streamIndex);
        AVCodecParameters par = stream.codecpar();
        String codecName = avcodec_get_name(par.codec_id()).getString();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        if (codec == null || codec.isNull()) {
            throw new VideoFormatException(file, Reason.UNSUPPORTED_CODEC,
                    "no decoder for video codec '" + codecName + "' in this FFmpeg build");
        }
        if (par.width() <= 0 || par.height() <= 0) {
            throw new VideoFormatException(file, Reason.NO_FRAMES, String.format(Locale.ROOT,
                    "video stream %d (%s) declares no picture size", streamIndex, codecName));
        }
        decoder = avcodec_alloc_context3(codec);
        if (decoder == null || decoder.isNull()) {
            throw new OutOfMemoryError("avcodec_alloc_context3 failed");
        }
        r = avcodec_parameters_to_context(decoder, par);
        if (r < 0) {
            throw new VideoFormatException(file, Reason.UNSUPPORTED_CODEC,
                    "decoder rejects the stream parameters (FFmpeg: " + error(r) + ")");
        }
        decoder.pkt_timebase(stream.time_base());
        // 0 = one thread per core, as the ffmpeg command line decodes ("-threads auto")
        decoder.thread_count(threads);
        r = avcodec_open2(decoder, codec, (PointerPointer<?>) null);
        if (r < 0) {
            throw new VideoFormatException(file, Reason.UNSUPPORTED_CODEC, "cannot open the '"
                    + codecName + "' decoder (FFmpeg: " + error(r) + ")");
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        if (packet == null || packet.isNull() || frame == null || frame.isNull()) {
            throw new OutOfMemoryError("av_packet_alloc / av_frame_alloc failed");
        }
        AVRational tb = stream.time_base();
        if (tb.num() <= 0 || tb.den() <= 0) {
            throw new VideoFormatException(file, Reason.BAD_TIMESTAMPS, String.format(Locale.ROOT,
                    "video stream time base %d/%d is not positive", tb.num(), tb.den()));
        }
        timeBase = new Rational(tb.num(), tb.den());
        AVRational rate = av_guess_frame_rate(format, stream, null);
        double frameRate = rate.num() > 0 && rate.den() > 0 ? (double) rate.num() / rate.den() : 0;
        // one frame at the guessed rate, else 40 ms: only used when frames carry no duration
        long dflt = frameRate > 0
                ? Math.max(1, Math.round(tb.den() / (frameRate * tb.num())))
                : Math.max(1, Math.round(0.04 * tb.den() / tb.num()));
        defaultDuration = dflt;
        AVRational sar = av_guess_sample_aspect_ratio(format, stream, null);
        int sarNum = sar.num() > 0 && sar.den() > 0 ? sar.num() : 1;
        int sarDen = sar.num() > 0 && sar.den() > 0 ? sar.den() : 1;
        OptionalLong duration = OptionalLong.empty();
        if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0
                && format.duration_estimation_method() != AVFMT_DURATION_FROM_BITRATE) {
            duration = OptionalLong.of(Math.round(stream.duration() * 1e6 * tb.num() / tb.den()));
        }
        String containerName = format.iformat().name().getString();
        info = new VideoInfo(containerName, codecName, par.width(), par.height(), sarNum, sarDen,
                rotation(par), fieldOrder(par.field_order()), frameRate, duration);
    }

    /**
     * Opens a recording and its video decoder.
     *
     * @param file the recording
     * @param threads decoder threads, 0 for one per core
     * @return the open input
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws VideoFormatException if it is not a decodable video
     * @throws IOException on other I/O failures
     */
    static FfmpegInput open(Path file, int threads) throws IOException {
        return new FfmpegInput(file, threads);
    }

    VideoInfo info() {
        return info;
    }

    Rational timeBase() {
        return timeBase;
    }

    long decodeErrors() {
        return decodeErrors;
    }

    /**
     * Decodes every frame of the video stream in presentation order.
     *
     * @param handler receives the frames
     * @param maxDecodeErrors undecodable packets tolerated before failing
     * @throws VideoFormatException if reading fails before the end of the file, or too many
     *     packets cannot be decoded
     * @throws IOException from the handler
     */
    void decode(FrameHandler handler, long maxDecodeErrors) throws IOException {
        while (true) {
            int r = av_read_frame(format, packet);
            if (r == AVERROR_EOF) {
                break;
            }
            if (r < 0) {
                throw new VideoFormatException(file, Reason.TRUNCATED, String.format(Locale.ROOT,
                        "reading stopped after %d packets (FFmpeg: %s)", packetsRead, error(r)));
            }
            try {
                if (packet.stream_index() != streamIndex) {
                    continue;
                }
                packetsRead++;
                r = avcodec_send_packet(decoder, packet);
            } finally {
                av_packet_unref(packet);
            }
            if (r < 0 && r != EAGAIN) {
                countError(r, maxDecodeErrors);
                continue;
            }
            drain(handler, maxDecodeErrors);
        }
        int r = avcodec_send_packet(decoder, null);
        if (r < 0 && r != AVERROR_EOF) {
            countError(r, maxDecodeErrors);
        }
        drain(handler, maxDecodeErrors);
    }

    private void drain(FrameHandler handler, long maxDecodeErrors) throws IOException {
        while (true) {
            int r = avcodec_receive_frame(decoder, frame);
            if (r == EAGAIN || r == AVERROR_EOF) {
                return;
            }
            if (r < 0) {
                countError(r, maxDecodeErrors);
                return;
            }
            try {
                long ts = frame.best_effort_timestamp();
                long duration = frame.duration() > 0 ? frame.duration() : defaultDuration;
                handler.frame(frame, ts, duration);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    private void countError(int r, long maxDecodeErrors) {
        decodeErrors++;
        LOG.debug("video {}: decoding error {} after {} packets: {}", file, decodeErrors,
                packetsRead, error(r));
        if (decodeErrors > maxDecodeErrors) {
            throw new VideoFormatException(file, Reason.DECODE_ERRORS, String.format(Locale.ROOT,
                    "%d packet(s) could not be decoded, more than the %d allowed (last: %s)",
                    decodeErrors, maxDecodeErrors, error(r)));
        }
    }

    /** @return a frame's duration when the stream gives none, in time-base ticks */
    long defaultDuration() {
        return defaultDuration;
    }

    @Override
    public void close() {
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (decoder != null) {
            avcodec_free_context(decoder);
            decoder = null;
        }
        if (format != null) {
            avformat_close_input(format);
            format = null;
        }
    }

    private String describeStreams() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < format.nb_streams(); i++) {
            AVStream s = format.streams(i);
            AVCodecParameters p = s.codecpar();
            BytePointer type = av_get_media_type_string(p.codec_type());
            String t = type == null || type.isNull() ? "unknown" : type.getString();
            String extra = isAttachedPicture(s) ? " cover image" : "";
            parts.add(t + " " + avcodec_get_name(p.codec_id()).getString() + extra);
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static boolean isAttachedPicture(AVStream s) {
        return (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0;
    }

    /** The display matrix's rotation, as a clockwise quarter turn count times 90. */
    private static int rotation(AVCodecParameters par) {
        AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(),
                par.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.size() < 9 * 4) {
            return 0;
        }
        double ccw = av_display_rotation_get(new IntPointer(sd.data()));
        if (Double.isNaN(ccw)) {
            return 0;
        }
        // av_display_rotation_get is counter-clockwise; the picture is turned back clockwise
        long quarter = Math.round(-ccw / 90.0);
        return (int) Math.floorMod(quarter * 90, 360L);
    }

    private static String fieldOrder(int order) {
        if (order == AV_FIELD_PROGRESSIVE) {
            return "progressive";
        } else if (order == AV_FIELD_TT) {
            return "tt";
        } else if (order == AV_FIELD_BB) {
            return "bb";
        } else if (order == AV_FIELD_TB) {
            return "tb";
        } else if (order == AV_FIELD_BT) {
            return "bt";
        }
        return "unknown";
    }

    /**
     * Loads FFmpeg and routes its log to SLF4J; idempotent. Every entry point into FFmpeg in this
     * package goes through this class, whose initialiser does the work.
     *
     * @return whether FFmpeg's log is routed (always true once the class is initialised)
     */
    static boolean routeLog() {
        return LOG_CALLBACK != null;
    }

    /** @return FFmpeg's text for an error code */
    static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    private static LogCallback installLogCallback() {
        LogCallback cb = new LogCallback() {
            @Override
            public void call(int level, BytePointer msg) {
                if (!FFMPEG_LOG.isDebugEnabled() && !FFMPEG_LOG.isTraceEnabled()) {
                    return;
                }
                String text = msg == null ? "" : msg.getString(StandardCharsets.UTF_8).strip();
                if (level <= AV_LOG_WARNING) {
                    FFMPEG_LOG.debug(text);
                } else {
                    FFMPEG_LOG.trace(text);
                }
            }
        };
        org.bytedeco.ffmpeg.global.avutil.setLogCallback(cb);
        // informational chatter is not even formatted
        av_log_set_level(AV_LOG_WARNING);
        return cb;
    }
}
