package org.engagement4j.metrics.maps;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * Centre crop of every frame, with torchvision's offsets (the first step of the human map's
 * standardisation: the painted {@code 160x208} canvas is cut to the network's {@code 160x160} input,
 * Fraile et al., ICMI 2022, Section 5).
 *
 * <p>The top offset is {@code int(round((H - height) / 2.0))} with Python's half-to-even rounding,
 * so an odd margin of 3 rows puts 2 rows above (1.5 rounds to 2) and a margin of 5 also puts 2 rows
 * above (2.5 rounds to 2); the left offset likewise. This is
 * {@code torchvision.transforms.functional.center_crop} (torchvision 0.14).
 *
 * @since 0.1.0
 */
public final class CenterCrop {

    private CenterCrop() {
    }

    /**
     * Crops every frame of {@code map} to {@code height x width} around its centre.
     *
     * <p>Unlike torchvision, which pads with zeros when the crop is larger than the frame, this
     * rejects such a crop: zero padding would add mass-free margins to an attention map and change
     * every downstream metric.
     *
     * @param map the volume; values are copied as they are (no finiteness check: cropping is exact)
     * @param height rows to keep, {@code 1 <= height <= map.height()}
     * @param width columns to keep, {@code 1 <= width <= map.width()}
     * @return a new {@code [T, height, width]} volume
     * @throws IllegalArgumentException if a crop dimension is below 1 or larger than the frame
     */
    public static Volume apply(Volume map, int height, int width) {
        Objects.requireNonNull(map, "map");
        Inputs.requirePositive("height", height);
        Inputs.requirePositive("width", width);
        if (height > map.height() || width > map.width()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "crop %dx%d is larger than the %dx%d frames of a %s volume (crops must fit;"
                            + " zero padding is not supported)",
                    height, width, map.height(), map.width(), map.shapeString()));
        }
        int top = offset(map.height(), height);
        int left = offset(map.width(), width);
        double[] frame = new double[map.frameSize()];
        double[] out = new double[map.frames() * height * width];
        for (int t = 0; t < map.frames(); t++) {
            map.copyFrameInto(t, frame, 0);
            for (int y = 0; y < height; y++) {
                System.arraycopy(frame, (top + y) * map.width() + left, out, (t * height + y) * width,
                        width);
            }
        }
        return Volume.wrap(out, map.frames(), height, width);
    }

    /**
     * The offset of a centre crop: {@code round((size - crop) / 2)}, ties to even as Python's
     * {@code round}.
     *
     * @param size the frame dimension
     * @param crop the crop dimension, at most {@code size}
     * @return the first kept index
     */
    static int offset(int size, int crop) {
        return (int) Math.rint((size - crop) / 2.0);
    }
}
