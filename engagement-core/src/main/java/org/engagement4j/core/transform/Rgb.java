package org.engagement4j.core.transform;

import java.nio.ByteBuffer;

/**
 * Interleaved uint8 RGB ({@code [..., 3]}) to planar floats ({@code [3, ...]}) through one lookup
 * table per channel: a byte has only 256 values, so the per-pixel arithmetic of a normalisation
 * is done 768 times per clip instead of once per value.
 */
final class Rgb {

    /** Bytes copied out of a {@link ByteBuffer} at a time. */
    private static final int CHUNK = 3 << 14;

    /** The table that maps every byte to its 0–255 value. */
    static final float[][] IDENTITY = identity();

    private Rgb() {
    }

    private static float[][] identity() {
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = v;
            }
        }
        return lut;
    }

    /**
     * Writes {@code out[c * pixels + p] = lut[c][src[offset + 3 p + c] & 0xff]} for
     * {@code p < pixels}.
     */
    static void planar(byte[] src, int offset, int pixels, float[][] lut, float[] out) {
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        int gBase = pixels;
        int bBase = 2 * pixels;
        int s = offset;
        for (int p = 0; p < pixels; p++, s += 3) {
            out[p] = r[src[s] & 0xff];
            out[gBase + p] = g[src[s + 1] & 0xff];
            out[bBase + p] = b[src[s + 2] & 0xff];
        }
    }

    /** As {@link #planar(byte[], int, int, float[][], float[])}, reading from a buffer. */
    static void planar(ByteBuffer src, int index, int pixels, float[][] lut, float[] out) {
        if (src.hasArray()) {
            planar(src.array(), src.arrayOffset() + index, pixels, lut, out);
            return;
        }
        byte[] chunk = new byte[Math.min(CHUNK, 3 * pixels)];
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        int done = 0;
        while (done < pixels) {
            int n = Math.min(chunk.length / 3, pixels - done);
            src.get(index + 3 * done, chunk, 0, 3 * n);
            for (int p = 0, s = 0; p < n; p++, s += 3) {
                int q = done + p;
                out[q] = r[chunk[s] & 0xff];
                out[pixels + q] = g[chunk[s + 1] & 0xff];
                out[2 * pixels + q] = b[chunk[s + 2] & 0xff];
            }
            done += n;
        }
    }
}
