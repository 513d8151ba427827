package org.engagement4j.core.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_new;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
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
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Writes small test recordings in code (OpenH264 video, AC-3 audio, MP4 or MPEG-TS) so that no
 * media is committed. Every frame shows its own index as 8 bits in a 4 x 2 grid of black / white
 * blocks, so a test can read back which source frame an output frame came from.
 */
final class TestVideos {

    /** Recording parameters; build with the {@code with*} methods. */
    record Spec(String format, int width, int height, int sarNum, int sarDen, long[] ptsMillis,
            long frameMillis, boolean audio, int rotation, boolean woven, boolean faststart,
            int bitRate, boolean noVideo) {

        /** {@code frames} frames at 25 fps, 320x240, MP4, no audio. */
        static Spec mp4(int frames) {
            long[] pts = new long[frames];
            for (int i = 0; i < frames; i++) {
                pts[i] = 40L * i;
            }
            return new Spec("mp4", 320, 240, 1, 1, pts, 40, false, 0, false, false, 2_000_000,
                    false);
        }

        Spec withFormat(String f) {
            return new Spec(f, width, height, sarNum, sarDen, ptsMillis, frameMillis, audio,
                    rotation, woven, faststart, bitRate, noVideo);
        }

        Spec withSize(int w, int h, int sn, int sd) {
            return new Spec(format, w, h, sn, sd, ptsMillis, frameMillis, audio, rotation, woven,
                    faststart, bitRate, noVideo);
        }

        Spec withPts(long[] pts, long lastDurationMillis) {
            return new Spec(format, width, height, sarNum, sarDen, pts, lastDurationMillis, audio,
                    rotation, woven, faststart, bitRate, noVideo);
        }

        Spec withAudio() {
            return new Spec(format, width, height, sarNum, sarDen, ptsMillis, frameMillis, true,
                    rotation, woven, faststart, bitRate, noVideo);
        }

        Spec withRotation(int r) {
            return new Spec(format, width, height, sarNum, sarDen, ptsMillis, frameMillis, audio,
                    r, woven, faststart, bitRate, noVideo);
        }

        Spec withWoven() {
            return new Spec(format, width, height, sarNum, sarDen, ptsMillis, frameMillis, audio,
                    rotation, true, faststart, bitRate, noVideo);
        }

        Spec withFaststart() {
            return new Spec(format, width, height, sarNum, sarDen, ptsMillis, frameMillis, audio,
                    rotation, woven, true, bitRate, noVideo);
        }

        Spec withoutVideo() {
            return new Spec(format, width, height, sarNum, sarDen, ptsMillis, frameMillis, audio,
                    rotation, woven, faststart, bitRate, true);
        }

        /** Keeps the video stream but encodes none of its frames (audio still spans the pts). */
        Spec withNoFrames() {
            return new Spec(format, width, height, sarNum, sarDen, ptsMillis, -frameMillis,
                    audio, rotation, woven, faststart, bitRate, noVideo);
        }

        Spec withBitRate(int b) {
            return new Spec(format, width, height, sarNum, sarDen, ptsMillis, frameMillis, audio,
                    rotation, woven, faststart, b, noVideo);
        }
    }

    private TestVideos() {
    }

    /** Luma of a set bit in frame {@code index} at block {@code bit}. */
    static boolean bit(int index, int bit) {
        return ((index >> bit) & 1) != 0;
    }

    /**
     * Reads the frame index back from an RGB frame whose picture is upright.
     *
     * @param rgb {@code [h, w, 3]}
     * @param w width
     * @param h height
     * @return the 8-bit index shown
     */
    static int readIndex(ByteBuffer rgb, int w, int h) {
        int index = 0;
        for (int b = 0; b < 8; b++) {
            int col = b % 4;
            int row = b / 4;
            int cx = (2 * col + 1) * w / 8;
            int cy = (2 * row + 1) * h / 4;
            int sum = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    sum += Byte.toUnsignedInt(rgb.get(3 * ((cy + dy) * w + cx + dx)));
                }
            }
            if (sum / 9 > 128) {
                index |= 1 << b;
            }
        }
        return index;
    }

    /** Mean absolute distance of the block centres from pure black or white (0 = crisp). */
    static double blockContrastLoss(ByteBuffer rgb, int w, int h) {
        double loss = 0;
        for (int b = 0; b < 8; b++) {
            int cx = (2 * (b % 4) + 1) * w / 8;
            int cy = (2 * (b / 4) + 1) * h / 4;
            int v = Byte.toUnsignedInt(rgb.get(3 * (cy * w + cx)));
            loss += Math.min(v, 255 - v);
        }
        return loss / 8;
    }

    /**
     * Writes a recording.
     *
     * @param file where
     * @param spec what
     * @return {@code file}
     */
    static Path write(Path file, Spec spec) {
        FfmpegInput.routeLog();
        AVFormatContext oc = new AVFormatContext(null);
        check(avformat_alloc_output_context2(oc, null, spec.format(), file.toString()),
                "alloc output");
        AVCodecContext video = null;
        AVCodecContext audio = null;
        AVFrame frame = av_frame_alloc();
        AVFrame aframe = av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        try {
            AVCodec h264 = avcodec_find_encoder_by_name("libopenh264");
            if (h264 == null || h264.isNull()) {
                throw new IllegalStateException("no libopenh264 encoder in this FFmpeg build");
            }
            AVStream vs = null;
            if (!spec.noVideo()) {
                vs = avformat_new_stream(oc, null);
                video = avcodec_alloc_context3(h264);
                video.width(spec.width()).height(spec.height()).pix_fmt(AV_PIX_FMT_YUV420P);
                video.time_base(av_make_q(1, 1000));
                int step = (int) Math.max(1, Math.abs(spec.frameMillis()));
                video.framerate(av_make_q(1000, step));
                video.sample_aspect_ratio(av_make_q(spec.sarNum(), spec.sarDen()));
                video.bit_rate(spec.bitRate());
                video.gop_size(12);
                if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                    video.flags(video.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
                }
                check(avcodec_open2(video, h264, (PointerPointer<?>) null), "open libopenh264");
                check(avcodec_parameters_from_context(vs.codecpar(), video), "video params");
                vs.time_base(av_make_q(1, 1000));
                vs.sample_aspect_ratio(av_make_q(spec.sarNum(), spec.sarDen()));
                if (spec.rotation() != 0) {
                    PointerPointer<AVPacketSideData> sd = new PointerPointer<>(1);
                    sd.put(0, vs.codecpar().coded_side_data());
                    IntPointer nb = new IntPointer(1).put(vs.codecpar().nb_coded_side_data());
                    AVPacketSideData entry = av_packet_side_data_new(sd, nb,
                            AV_PKT_DATA_DISPLAYMATRIX, 9 * 4, 0);
                    // set takes the clockwise angle (get answers counter-clockwise, ffprobe's sign)
                    av_display_rotation_set(new IntPointer(entry.data()), spec.rotation());
                    vs.codecpar().coded_side_data(new AVPacketSideData(sd.get(0)));
                    vs.codecpar().nb_coded_side_data(nb.get());
                }
            }
            AVStream as = null;
            if (spec.audio()) {
                AVCodec ac3 = avcodec_find_encoder_by_name("ac3");
                as = avformat_new_stream(oc, null);
                audio = avcodec_alloc_context3(ac3);
                audio.sample_fmt(AV_SAMPLE_FMT_FLTP).sample_rate(48000).bit_rate(192_000);
                av_channel_layout_default(audio.ch_layout(), 2);
                audio.time_base(av_make_q(1, 48000));
                if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                    audio.flags(audio.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
                }
                check(avcodec_open2(audio, ac3, (PointerPointer<?>) null), "open ac3");
                check(avcodec_parameters_from_context(as.codecpar(), audio), "audio params");
                as.time_base(av_make_q(1, 48000));
            }
            AVIOContext pb = new AVIOContext(null);
            check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "avio_open");
            oc.pb(pb);
            AVDictionary opts = new AVDictionary(null);
            if (spec.faststart()) {
                av_dict_set(opts, "movflags", "+faststart", 0);
            }
            check(avformat_write_header(oc, opts), "write header");
            av_dict_free(opts);

            frame.format(AV_PIX_FMT_YUV420P).width(spec.width()).height(spec.height());
            check(av_frame_get_buffer(frame, 0), "frame buffer");
            long[] pts = spec.ptsMillis();
            long endMillis = pts.length == 0 ? 0
                    : pts[pts.length - 1] + Math.abs(spec.frameMillis());
            long audioSamples = 0;
            if (audio != null) {
                aframe.format(AV_SAMPLE_FMT_FLTP).nb_samples(audio.frame_size())
                        .sample_rate(48000);
                av_channel_layout_copy(aframe.ch_layout(), audio.ch_layout());
                check(av_frame_get_buffer(aframe, 0), "audio buffer");
            }
            for (int i = 0; i < pts.length; i++) {
                // audio up to this frame's time keeps the muxer interleaving
                while (audio != null && audioSamples * 1000 / 48000 <= pts[i]) {
                    audioSamples = writeAudio(oc, audio, as, aframe, pkt, audioSamples);
                }
                if (vs == null || spec.frameMillis() < 0) {
                    continue;
                }
                check(av_frame_make_writable(frame), "writable");
                paint(frame, i, spec);
                frame.pts(pts[i]);
                frame.duration(i + 1 < pts.length ? pts[i + 1] - pts[i] : spec.frameMillis());
                encode(oc, video, vs, frame, pkt);
            }
            if (vs != null) {
                encode(oc, video, vs, null, pkt);
            }
            while (audio != null && audioSamples * 1000 / 48000 < endMillis) {
                audioSamples = writeAudio(oc, audio, as, aframe, pkt, audioSamples);
            }
            if (audio != null) {
                encode(oc, audio, as, null, pkt);
            }
            check(av_write_trailer(oc), "trailer");
            avio_closep(oc.pb());
            return file;
        } finally {
            av_packet_free(pkt);
            av_frame_free(frame);
            av_frame_free(aframe);
            if (video != null) {
                avcodec_free_context(video);
            }
            if (audio != null) {
                avcodec_free_context(audio);
            }
            avformat_free_context(oc);
        }
    }

    private static long writeAudio(AVFormatContext oc, AVCodecContext audio, AVStream as,
            AVFrame aframe, AVPacket pkt, long samples) {
        check(av_frame_make_writable(aframe), "audio writable");
        int n = aframe.nb_samples();
        for (int ch = 0; ch < 2; ch++) {
            FloatPointer p = new FloatPointer(aframe.data(ch)).capacity(n);
            for (int s = 0; s < n; s++) {
                p.put(s, (float) (0.1 * Math.sin(2 * Math.PI * 440 * (samples + s) / 48000.0)));
            }
        }
        aframe.pts(samples);
        aframe.duration(n);
        encode(oc, audio, as, aframe, pkt);
        return samples + n;
    }

    private static void paint(AVFrame f, int index, Spec spec) {
        int w = spec.width();
        int h = spec.height();
        ByteBuffer y = f.data(0).capacity((long) f.linesize(0) * h).asBuffer();
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int b = (col * 4 / w) + 4 * (row * 2 / h);
                boolean on = bit(index, b);
                if (spec.woven() && (row & 1) == 1) {
                    on = !on;
                }
                y.put(row * f.linesize(0) + col, (byte) (on ? 235 : 16));
            }
        }
        for (int plane = 1; plane <= 2; plane++) {
            ByteBuffer c = f.data(plane).capacity((long) f.linesize(plane) * (h / 2)).asBuffer();
            for (int row = 0; row < h / 2; row++) {
                for (int col = 0; col < w / 2; col++) {
                    c.put(row * f.linesize(plane) + col, (byte) 128);
                }
            }
        }
    }

    private static void encode(AVFormatContext oc, AVCodecContext c, AVStream st, AVFrame f,
            AVPacket pkt) {
        check(avcodec_send_frame(c, f), "send frame");
        while (true) {
            int r = avcodec_receive_packet(c, pkt);
            if (r < 0) {
                return;
            }
            if (pkt.duration() <= 0 && f != null) {
                // the MP4 muxer drops a last sample that has no duration
                pkt.duration(f.duration());
            }
            av_packet_rescale_ts(pkt, c.time_base(), st.time_base());
            pkt.stream_index(st.index());
            check(av_interleaved_write_frame(oc, pkt), "write packet");
        }
    }

    private static void check(int r, String what) {
        if (r < 0) {
            throw new IllegalStateException(what + " failed: " + FfmpegInput.error(r));
        }
    }

    /** @return pts list 0, 40, 80, ... for {@code n} frames */
    static long[] regular(int n, long step) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i * step;
        }
        return p;
    }

    /** @return the indices a list of frames shows */
    static List<Integer> indices(Clip clip) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < clip.frames(); t++) {
            out.add(readIndex(clip.frameBuffer(t), clip.width(), clip.height()));
        }
        return out;
    }
}
