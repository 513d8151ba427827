package org.engagement4j.core.video;

/**
 * Whether interlaced frames (the paper's camera records 1080i: two fields 20 ms apart woven into
 * one frame) are deinterlaced before downsampling.
 *
 * <p>Field selection suits heavy downsampling: 540 lines of one field are still more than 3 times
 * the 160 output lines, it costs nothing (it halves the scaler's input) and it needs no
 * neighbouring frames, so dropped frames stay undecoded-to-RGB. Weaving both fields (no
 * deinterlacing) blends two instants, which shows as ghosting around fast motion.
 *
 * @since 0.1.0
 */
public enum Deinterlace {

    /** Scale the woven frame as it is, like the reference preprocessing. The default. */
    OFF,

    /** Scale only the top field (even lines) of every frame. */
    TOP_FIELD,

    /**
     * Scale only the top field of frames the decoder flags as interlaced; progressive frames are
     * scaled whole.
     */
    AUTO
}
