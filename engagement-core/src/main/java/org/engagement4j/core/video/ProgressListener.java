package org.engagement4j.core.video;

/**
 * Receives progress reports from long work (decoding a recording, hashing it). Reports come from
 * the thread doing the work, in order, with {@code done} never decreasing; the last report of a
 * finished job has {@code done == total} when the total was known. Implementations must be quick:
 * the work waits while they run. A command line renders them as a progress bar.
 *
 * <p>The unit is the caller's: {@link VideoPreprocessor} reports milliseconds of media decoded out
 * of the recording's declared duration.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * One report.
     *
     * @param done work done so far, {@code >= 0}
     * @param total the total amount of work, or {@code -1} when it is not known in advance (then
     *     {@code done} may grow without bound)
     */
    void progress(long done, long total);
}
