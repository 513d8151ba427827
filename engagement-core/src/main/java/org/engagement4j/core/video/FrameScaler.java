package org.engagement4j.core.video;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_CL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_FCC;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE240M;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ411P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ440P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_BT2020;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_FCC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_SMPTE240M;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.engagement4j.core.video.VideoFormatException.Reason;

/**
 * Converts one decoded frame to packed RGB24 at the output size with libswscale, bicubic, with the
 * frame's own colour matrix and range (what FFmpeg's {@code scale} filter does), optionally from
 * the top field only, then applies the display rotation. Only frames that are kept go through
 * here: dropped frames are never converted.
 *
 * <p>Owns a native scaler context and two native output buffers; {@link #close()} frees them.
 */
final class FrameScaler implements AutoCloseable {

    /** AV_FRAME_FLAG_INTERLACED (1 << 3); not exported as a constant by the presets. */
    static final int FRAME_FLAG_INTERLACED = 1 << 3;

    private final Path file;
    private final int outWidth;
    private final int outHeight;
    private final int rotation;
    private final int scaledWidth;
    private final int scaledHeight;
    private final Deinterlace deinterlace;

    private final BytePointer scaled;
    private final IntPointer scaledStride;
    private final PointerPointer<BytePointer> scaledPlanes;
    private final PointerPointer<BytePointer> fieldPlanes = new PointerPointer<>(4);
    private final IntPointer fieldStrides = new IntPointer(4);
    private final ByteBuffer scaledView;
    private final ByteBuffer rotated;

    private SwsContext context;
    private boolean closed;
    private int ctxWidth = -1;
    private int ctxHeight = -1;
    private int ctxFormat = -1;
    private int ctxColorspace = -1;
    private int ctxRange = -1;

    /**
     * @param file the recording, for messages
     * @param outWidth output width after rotation
     * @param outHeight output height after rotation
     * @param rotation clockwise degrees: 0, 90, 180 or 270
     * @param deinterlace field handling
     */
    FrameScaler(Path file, int outWidth, int outHeight, int rotation, Deinterlace deinterlace) {
        this.file = file;
        this.outWidth = outWidth;
        this.outHeight = outHeight;
        this.rotation = rotation;
        this.deinterlace = deinterlace;
        boolean quarter = rotation == 90 || rotation == 270;
        this.scaledWidth = quarter ? outHeight : outWidth;
        this.scaledHeight = quarter ? outWidth : outHeight;
        long bytes = 3L * outWidth * outHeight;
        this.scaled = new BytePointer(bytes);
        this.scaledStride = new IntPointer(new int[] {3 * scaledWidth, 0, 0, 0});
        this.scaledPlanes = new PointerPointer<>(4);
        scaledPlanes.put(0, scaled);
        this.scaledView = scaled.asBuffer();
        this.rotated = rotation == 0 ? null : ByteBuffer.allocate((int) bytes);
    }

    /** @return bytes of one output frame, {@code 3 * width * height} */
    int frameBytes() {
        return 3 * outWidth * outHeight;
    }

    /**
     * Converts a frame.
     *
     * @param frame a decoded frame
     * @return the RGB24 output, {@code [outHeight, outWidth, 3]} row-major, position 0 and limit
     *     {@link #frameBytes()}; overwritten by the next call
     */
    ByteBuffer convert(AVFrame frame) {
        boolean field = deinterlace == Deinterlace.TOP_FIELD
                || deinterlace == Deinterlace.AUTO && (frame.flags() & FRAME_FLAG_INTERLACED) != 0;
        int srcHeight = field ? frame.height() / 2 : frame.height();
        if (srcHeight < 1) {
            field = false;
            srcHeight = frame.height();
        }
        prepare(frame.width(), srcHeight, frame.format(), frame.colorspace(), frame.color_range());
        int r;
        if (field) {
            for (int i = 0; i < 4; i++) {
                fieldPlanes.put(i, frame.data(i));
                fieldStrides.put(i, 2 * frame.linesize(i));
            }
            r = sws_scale(context, fieldPlanes, fieldStrides, 0, srcHeight, scaledPlanes,
                    scaledStride);
        } else {
            r = sws_scale(context, frame.data(), frame.linesize(), 0, srcHeight, scaledPlanes,
                    scaledStride);
        }
        if (r != scaledHeight) {
            throw new VideoFormatException(file, Reason.UNSUPPORTED_CODEC, String.format(
                    Locale.ROOT, "scaling a %dx%d %s frame failed (%d rows out)", frame.width(),
                    frame.height(), pixelFormatName(frame.format()), r));
        }
        scaledView.clear();
        if (rotation == 0) {
            return scaledView;
        }
        rotate(scaledView, rotated);
        rotated.clear();
        return rotated;
    }

    private void prepare(int w, int h, int format, int colorspace, int range) {
        if (context != null && w == ctxWidth && h == ctxHeight && format == ctxFormat
                && colorspace == ctxColorspace && range == ctxRange) {
            return;
        }
        freeContext();
        context = sws_getContext(w, h, format, scaledWidth, scaledHeight, AV_PIX_FMT_RGB24,
                SWS_BICUBIC, null, null, (DoublePointer) null);
        if (context == null || context.isNull()) {
            context = null;
            throw new VideoFormatException(file, Reason.UNSUPPORTED_CODEC, String.format(
                    Locale.ROOT, "cannot convert %dx%d frames in pixel format %s to RGB", w, h,
                    pixelFormatName(format)));
        }
        boolean fullRange = range == AVCOL_RANGE_JPEG || isJpegFormat(format);
        IntPointer inv = sws_getCoefficients(swsColorspace(colorspace));
        IntPointer table = sws_getCoefficients(SWS_CS_DEFAULT);
        // brightness 0, contrast and saturation 1.0 in 16.16 fixed point: swscale's defaults
        sws_setColorspaceDetails(context, inv, fullRange ? 1 : 0, table, 1, 0, 1 << 16, 1 << 16);
        ctxWidth = w;
        ctxHeight = h;
        ctxFormat = format;
        ctxColorspace = colorspace;
        ctxRange = range;
    }

    private void rotate(ByteBuffer src, ByteBuffer dst) {
        // src is scaledWidth x scaledHeight; dst is outWidth x outHeight
        int sw = scaledWidth;
        int sh = scaledHeight;
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int sx;
                int sy;
                if (rotation == 90) {
                    sx = y;
                    sy = sh - 1 - x;
                } else if (rotation == 180) {
                    sx = sw - 1 - x;
                    sy = sh - 1 - y;
                } else {
                    sx = sw - 1 - y;
                    sy = x;
                }
                int s = 3 * (sy * sw + sx);
                int d = 3 * (y * outWidth + x);
                dst.put(d, src.get(s));
                dst.put(d + 1, src.get(s + 1));
                dst.put(d + 2, src.get(s + 2));
            }
        }
    }

    private static int swsColorspace(int avColorspace) {
        if (avColorspace == AVCOL_SPC_BT709) {
            return SWS_CS_ITU709;
        } else if (avColorspace == AVCOL_SPC_FCC) {
            return SWS_CS_FCC;
        } else if (avColorspace == AVCOL_SPC_BT470BG || avColorspace == AVCOL_SPC_SMPTE170M) {
            return SWS_CS_ITU601;
        } else if (avColorspace == AVCOL_SPC_SMPTE240M) {
            return SWS_CS_SMPTE240M;
        } else if (avColorspace == AVCOL_SPC_BT2020_NCL || avColorspace == AVCOL_SPC_BT2020_CL) {
            return SWS_CS_BT2020;
        }
        return SWS_CS_DEFAULT;
    }

    private static boolean isJpegFormat(int f) {
        return f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P || f == AV_PIX_FMT_YUVJ444P
                || f == AV_PIX_FMT_YUVJ440P || f == AV_PIX_FMT_YUVJ411P;
    }

    private static String pixelFormatName(int format) {
        BytePointer name = av_get_pix_fmt_name(format);
        return name == null || name.isNull() ? "#" + format : name.getString();
    }

    private void freeContext() {
        if (context != null) {
            sws_freeContext(context);
            context = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        freeContext();
        scaled.close();
        scaledStride.close();
        scaledPlanes.close();
        fieldPlanes.close();
        fieldStrides.close();
    }
}
