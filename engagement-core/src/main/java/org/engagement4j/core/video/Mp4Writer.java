package org.engagement4j.core.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;
import org.engagement4j.core.internal.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes RGB pictures as an H.264 video in an MP4 file, at a constant frame rate, with the
 * OpenH264 encoder of the bundled LGPL FFmpeg build (libx264 is GPL and not in it). Meant for
 * short visualisations such as attention overlays, not for archiving footage.
 *
 * <p><b>Pixels.</b> Frames are converted to 8-bit YUV 4:2:0, limited range, with the BT.601
 * matrix (tagged as such in the stream), chroma averaged over each 2 x 2 block; colours therefore
 * come back approximately (lossy coding, chroma at half resolution).
 *
 * <p><b>Stored size.</b> OpenH264 refuses pictures under 16 pixels on a side and 4:2:0 needs an
 * even width and height. A picture smaller than 16 x 16 is therefore enlarged by the smallest
 * whole factor {@code k} that makes both sides at least 16 (nearest neighbour: each pixel becomes
 * a {@code k x k} block; {@code k = 1} for anything at least 16 x 16), and an odd side is then
 * padded by repeating the last column or row. The file's picture is
 * {@link #storedWidth()} x {@link #storedHeight()}: {@code even(k * width)} x
 * {@code even(k * height)}, where {@code even(n) = n + (n & 1)}.
 *
 * <p><b>Atomicity.</b> The encoder writes into a hidden temporary file beside the target
 * ({@code .NAME.RANDOM.tmp}); a successful {@link #close()} finishes the file and renames it over
 * the target, so a reader sees the old file or the whole new one. If anything fails, or
 * {@link #abort()} is called, the temporary file is deleted and the target is left alone. Note
 * that {@code close()} commits whatever frames were written: a caller whose own code fails
 * between frames and who wants no file should call {@code abort()}.
 *
 * <p>Not thread-safe. Every native object is freed by {@code close()} or {@code abort()}.
 *
 * @since 0.1.0
 */
public final class Mp4Writer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Mp4Writer.class);

    /** The encoder: OpenH264 is the only H.264 encoder in the LGPL build of the presets. */
    static final String ENCODER = "libopenh264";

    private final Path target;
    private final Path temp;
    private final int width;
    private final int height;
    private final int codedWidth;
    private final int codedHeight;
    private final int scale;
    private final double fps;

    private AVFormatContext format;
    private AVCodecContext encoder;
    private AVStream stream;
    private AVFrame frame;
    private AVPacket packet;
    private final byte[] y;
    private final byte[] u;
    private final byte[] v;
    private long frames;
    private boolean failed;
    private boolean ioOpen;
    private boolean closed;

    private Mp4Writer(Path target, Path temp, int width, int height, double fps) {
        this.target = target;
        this.temp = temp;
        this.width = width;
        this.height = height;
        this.scale = scaleFor(width, height);
        this.codedWidth = even(scale * width);
        this.codedHeight = even(scale * height);
        this.fps = fps;
        this.y = new byte[codedWidth * codedHeight];
        this.u = new byte[(codedWidth / 2) * (codedHeight / 2)];
        this.v = new byte[u.length];
    }

    /**
     * Starts a video.
     *
     * @param file the target, replaced on a successful {@link #close()}; its folder must exist
     * @param width picture width in pixels, at least 1
     * @param height picture height in pixels, at least 1; the stored size (see the class
     *     comment) must be at most 8192 on each side
     * @param fps frames per second, finite, in (0, 1000] (3.125 for the paper's snippets)
     * @return an open writer
     * @throws IllegalArgumentException if a size or the frame rate is out of range
     * @throws IOException if the temporary file cannot be created or FFmpeg cannot set up the
     *     encoder (the message names the file and the failing step)
     */
    public static Mp4Writer open(Path file, int width, int height, double fps)
            throws IOException {
        Objects.requireNonNull(file, "file");
        if (width < 1 || height < 1 || width > 8192 || height > 8192
                || even(scaleFor(width, height) * width) > 8192
                || even(scaleFor(width, height) * height) > 8192) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "MP4 %s: size %dx%d must be at least 1 and, enlarged to at least 16 x 16 "
                            + "and padded to even, at most 8192 on each side", file, width,
                    height));
        }
        if (!(fps > 0) || fps > 1000) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "MP4 %s: frame rate %s must be finite and in (0, 1000]", file, fps));
        }
        Path abs = file.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IOException(String.format(Locale.ROOT,
                    "MP4 %s: folder %s does not exist", file, parent));
        }
        String name = abs.getFileName().toString();
        Path temp = parent.resolve("." + (name.length() > 100 ? name.substring(0, 100) : name)
                + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                + ".tmp");
        Mp4Writer w = new Mp4Writer(abs, temp, width, height, fps);
        try {
            w.start();
        } catch (IOException | RuntimeException | Error e) {
            w.discard(e);
            throw e;
        }
        return w;
    }

    /** @return the picture width the frames must have */
    public int width() {
        return width;
    }

    /** @return the picture height the frames must have */
    public int height() {
        return height;
    }

    /** @return the width of the picture in the file (see the class comment) */
    public int storedWidth() {
        return codedWidth;
    }

    /** @return the height of the picture in the file (see the class comment) */
    public int storedHeight() {
        return codedHeight;
    }

    /** @return the frame rate */
    public double fps() {
        return fps;
    }

    /** @return frames written so far */
    public long frames() {
        return frames;
    }

    /**
     * Encodes one frame.
     *
     * @param rgb {@code [height, width, 3]} uint8 RGB, row-major, exactly
     *     {@code 3 * width * height} bytes
     * @throws IllegalArgumentException if the length is wrong
     * @throws IllegalStateException if the writer is closed or failed earlier
     * @throws IOException if FFmpeg fails; the writer is then failed and its file discarded on
     *     close
     */
    public void writeFrame(byte[] rgb) throws IOException {
        Objects.requireNonNull(rgb, "rgb");
        requireOpen();
        if (rgb.length != 3 * width * height) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "MP4 %s: frame %d has %d bytes, expected 3 x %d x %d = %d", target, frames,
                    rgb.length, width, height, 3 * width * height));
        }
        convert((yy, xx) -> {
            int i = 3 * (yy * width + xx);
            return (Byte.toUnsignedInt(rgb[i]) << 16) | (Byte.toUnsignedInt(rgb[i + 1]) << 8)
                    | Byte.toUnsignedInt(rgb[i + 2]);
        });
        encodeCurrent();
    }

    /**
     * Encodes one frame given as packed pixels, the layout of
     * {@code java.awt.image.BufferedImage.getRGB(0, 0, w, h, null, 0, w)}.
     *
     * @param rgb {@code width * height} pixels, row-major, each {@code 0xRRGGBB} (the top byte,
     *     alpha, is ignored)
     * @throws IllegalArgumentException if the length is wrong
     * @throws IllegalStateException if the writer is closed or failed earlier
     * @throws IOException if FFmpeg fails; the writer is then failed and its file discarded on
     *     close
     */
    public void writeFrame(int[] rgb) throws IOException {
        Objects.requireNonNull(rgb, "rgb");
        requireOpen();
        if (rgb.length != width * height) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "MP4 %s: frame %d has %d pixels, expected %d x %d = %d", target, frames,
                    rgb.length, width, height, width * height));
        }
        convert((yy, xx) -> rgb[yy * width + xx] & 0xFFFFFF);
        encodeCurrent();
    }

    /**
     * Flushes the encoder, finishes the file and renames it over the target. With no frame
     * written, or after a failure, nothing is committed: the temporary file is deleted. Calling it
     * again does nothing.
     *
     * @throws IllegalStateException if no frame was written (the target is left alone)
     * @throws IOException if finishing or renaming fails (the temporary file is deleted)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (failed) {
            discard(null);
            return;
        }
        if (frames == 0) {
            discard(null);
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "MP4 %s: no frame written; file not created", target));
        }
        try {
            encode(null);
            check(av_write_trailer(format), "write trailer");
            ioOpen = false;
            check(avio_closep(format.pb()), "close temporary file");
            free();
            AtomicFiles.move(temp, target);
            closed = true;
        } catch (IOException | RuntimeException | Error e) {
            discard(e);
            throw e;
        }
    }

    /** Stops without creating the target: frees everything and deletes the temporary file. */
    public void abort() {
        discard(null);
    }

    private void start() throws IOException {
        FfmpegInput.routeLog();
        AVCodec h264 = avcodec_find_encoder_by_name(ENCODER);
        if (h264 == null || h264.isNull()) {
            throw new IOException(String.format(Locale.ROOT,
                    "MP4 %s: this FFmpeg build has no %s encoder", target, ENCODER));
        }
        format = new AVFormatContext(null);
        check(avformat_alloc_output_context2(format, null, "mp4", temp.toString()),
                "allocate MP4 muxer");
        stream = avformat_new_stream(format, null);
        encoder = avcodec_alloc_context3(h264);
        // A rational close to 1 / fps (3.125 -> 8/25) keeps every timestamp an exact integer.
        AVRational rate = av_d2q(fps, 1_000_000);
        AVRational tick = av_make_q(rate.den(), rate.num());
        encoder.width(codedWidth).height(codedHeight).pix_fmt(AV_PIX_FMT_YUV420P);
        encoder.time_base(tick);
        encoder.framerate(rate);
        encoder.sample_aspect_ratio(av_make_q(1, 1));
        encoder.color_range(AVCOL_RANGE_MPEG).colorspace(AVCOL_SPC_SMPTE170M)
                .color_primaries(AVCOL_PRI_SMPTE170M).color_trc(AVCOL_TRC_SMPTE170M);
        // Generous for flat synthetic pictures: about one bit per pixel per second, floored so
        // that tiny, slow overlays still come out clean.
        long bits = (long) Math.min(50_000_000, Math.max(1_000_000,
                (double) codedWidth * codedHeight * Math.max(fps, 1)));
        encoder.bit_rate(bits);
        encoder.gop_size((int) Math.max(1, Math.min(250, Math.round(2 * fps))));
        encoder.max_b_frames(0);
        if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        check(avcodec_open2(encoder, h264, (PointerPointer<?>) null), "open " + ENCODER);
        check(avcodec_parameters_from_context(stream.codecpar(), encoder), "stream parameters");
        stream.time_base(tick);
        stream.avg_frame_rate(rate);
        stream.sample_aspect_ratio(av_make_q(1, 1));
        AVIOContext pb = new AVIOContext(null);
        check(avio_open(pb, temp.toString(), AVIO_FLAG_WRITE), "create temporary file");
        format.pb(pb);
        ioOpen = true;
        check(avformat_write_header(format, (PointerPointer<?>) null), "write header");
        frame = av_frame_alloc();
        frame.format(AV_PIX_FMT_YUV420P).width(codedWidth).height(codedHeight);
        check(av_frame_get_buffer(frame, 0), "allocate frame");
        packet = av_packet_alloc();
    }

    /** Reads pixel {@code (y, x)} of the caller's frame as {@code 0xRRGGBB}. */
    @FunctionalInterface
    private interface Pixels {
        int rgb(int row, int col);
    }

    private static int scaleFor(int w, int h) {
        int min = Math.max(1, Math.min(w, h));
        return (16 + min - 1) / min;
    }

    private static int even(long n) {
        return (int) Math.min(Integer.MAX_VALUE, n + (n & 1));
    }

    /**
     * BT.601 limited range in integer arithmetic (the usual 8-bit coefficients, x 256), with
     * nearest-neighbour enlargement and edge replication into the padding.
     */
    private void convert(Pixels px) {
        int cw = codedWidth / 2;
        for (int row = 0; row < codedHeight; row += 2) {
            for (int col = 0; col < codedWidth; col += 2) {
                int sr = 0;
                int sg = 0;
                int sb = 0;
                for (int dy = 0; dy < 2; dy++) {
                    int r0 = Math.min((row + dy) / scale, height - 1);
                    for (int dx = 0; dx < 2; dx++) {
                        int c = px.rgb(r0, Math.min((col + dx) / scale, width - 1));
                        int r = (c >> 16) & 0xFF;
                        int g = (c >> 8) & 0xFF;
                        int b = c & 0xFF;
                        y[(row + dy) * codedWidth + col + dx] =
                                (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
                        sr += r;
                        sg += g;
                        sb += b;
                    }
                }
                int r = (sr + 2) >> 2;
                int g = (sg + 2) >> 2;
                int b = (sb + 2) >> 2;
                int k = (row / 2) * cw + col / 2;
                u[k] = (byte) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
                v[k] = (byte) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
            }
        }
    }

    private void encodeCurrent() throws IOException {
        try {
            check(av_frame_make_writable(frame), "make frame writable");
            copyPlane(0, y, codedWidth, codedHeight);
            copyPlane(1, u, codedWidth / 2, codedHeight / 2);
            copyPlane(2, v, codedWidth / 2, codedHeight / 2);
            frame.pts(frames);
            frame.duration(1);
            encode(frame);
            frames++;
        } catch (IOException | RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    private void copyPlane(int plane, byte[] src, int w, int h) {
        int stride = frame.linesize(plane);
        ByteBuffer dst = frame.data(plane).capacity((long) stride * h).asBuffer();
        for (int row = 0; row < h; row++) {
            dst.position(row * stride);
            dst.put(src, row * w, w);
        }
    }

    private void encode(AVFrame f) throws IOException {
        check(avcodec_send_frame(encoder, f), "send frame " + frames);
        while (avcodec_receive_packet(encoder, packet) >= 0) {
            if (packet.duration() <= 0) {
                // the MP4 muxer gives a last sample without duration a length of zero
                packet.duration(1);
            }
            av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
            packet.stream_index(stream.index());
            check(av_interleaved_write_frame(format, packet), "write packet");
        }
    }

    private void requireOpen() {
        if (closed || failed) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "MP4 %s: writer is %s", target, closed ? "closed" : "failed"));
        }
    }

    private void check(int r, String what) throws IOException {
        if (r < 0) {
            throw new IOException(String.format(Locale.ROOT, "MP4 %s: %s failed: %s", target,
                    what, FfmpegInput.error(r)));
        }
    }

    private void free() {
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (encoder != null) {
            avcodec_free_context(encoder);
            encoder = null;
        }
        if (format != null) {
            if (ioOpen) {
                ioOpen = false;
                avio_closep(format.pb());
            }
            avformat_free_context(format);
            format = null;
        }
    }

    private void discard(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        free();
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            } else {
                LOG.warn("could not delete the unfinished video {}", temp, e);
            }
        }
    }
}
