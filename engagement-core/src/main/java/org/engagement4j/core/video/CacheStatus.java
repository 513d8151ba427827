package org.engagement4j.core.video;

import java.util.Objects;

/**
 * Whether a cached clip can stand for a recording ({@link VideoPreprocessor#check}).
 *
 * @param state the verdict
 * @param reason why, in words (which file, which field differed)
 * @since 0.1.0
 */
public record CacheStatus(State state, String reason) {

    /** The verdict. */
    public enum State {
        /** The clip was made from these bytes with these settings: use it. */
        FRESH,
        /** There is no clip at that path. */
        MISSING,
        /**
         * A clip is there but was made from other bytes (size differs, or modification time and
         * SHA-256 both differ), with other settings or in another format version: remake it.
         */
        STALE,
        /** Something is at that path but it is not a readable clip: remake it. */
        CORRUPT
    }

    /** Checks the components are present. */
    public CacheStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return whether the clip can be used as it is */
    public boolean isFresh() {
        return state == State.FRESH;
    }
}
