package org.engagement4j.core.sampling;

/**
 * Whose masked time (the reference's {@code ignore} tier) a training snippet must avoid.
 *
 * @since 0.1.0
 */
public enum MaskPolicy {
    /**
     * Only the chosen coder's masked time: the label comes from that coder alone, and another
     * coder's mask says nothing about it (the default).
     */
    CHOSEN_CODER,
    /**
     * Any coder's masked time: the snippet avoids every stretch any coder of the session excluded,
     * e.g. when masks mark unusable video rather than uncertain labels.
     */
    ANY_CODER
}
