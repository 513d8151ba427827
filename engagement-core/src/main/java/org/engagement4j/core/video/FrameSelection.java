package org.engagement4j.core.video;

/**
 * Which source frame fills output slot {@code k} (the slot at time {@code k / fps} seconds,
 * measured from the first decoded video frame). Only timestamps are used, never frame counts, so
 * variable frame rate recordings are sampled in time.
 *
 * @since 0.1.0
 */
public enum FrameSelection {

    /**
     * The source frame whose timestamp is nearest to {@code k / fps}; on a tie the earlier frame.
     * Slots run while {@code k / fps} is before the end of the last frame (its timestamp plus its
     * duration), so a 2 s recording at 3.125 fps gives {@code ceil(2 x 3.125) = 7} frames. At
     * 25 fps in and 3.125 fps out this picks source frames 0, 8, 16, ... The default.
     */
    NEAREST,

    /**
     * What FFmpeg's {@code fps} filter does with its default {@code round=near}: each source
     * frame's time is rounded to the nearest slot (halves up) and slot {@code k} receives the last
     * frame rounded to a slot {@code <= k}; slots run up to the end of the last frame rounded the
     * same way. At 25 fps in and 3.125 fps out this picks source frames 3, 11, 19, ... (120 ms
     * later than {@link #NEAREST}) and a 2 s recording gives 6 frames: the frames of the
     * reference preprocessing ({@code -vf scale=-16:160,fps=fps=25/8}). With the default
     * settings the clip then equals the {@code ffmpeg} command line's RGB24 output byte for byte
     * (tested against the executable shipped with the FFmpeg libraries used here, on MP4, MPEG-TS
     * and variable-frame-rate input). One difference remains: the command line measures time from
     * the container's start, we from the first video frame; files whose video starts after their
     * audio by more than half an output frame (160 ms) can then differ by one slot.
     */
    FFMPEG_FPS_FILTER
}
