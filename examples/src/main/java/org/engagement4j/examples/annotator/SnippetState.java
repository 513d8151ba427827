package org.engagement4j.examples.annotator;

/**
 * Where the painting of one snippet stands, as the annotator's list shows it.
 *
 * @since 0.1.0
 */
public enum SnippetState {
    /** Nothing saved yet. */
    NEW,
    /** A draft is kept: opened and painted or labelled, not saved since. */
    IN_PROGRESS,
    /** Saved as a human attention map, with no newer draft. */
    DONE;

    /** @return the name the web page shows: {@code new}, {@code in progress} or {@code done} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
