package org.engagement4j.xai.attention;

import java.util.Locale;
import java.util.Objects;

/**
 * Which class an attention map explains. The target of the gradient methods is the raw logit of
 * that class (not its probability); occlusion uses {@code 1 - softmax(logits)[class]}. The
 * reference computed every map for both classes of each sample (REFERENCE.md §7).
 *
 * @since 0.1.0
 */
public enum Target {

    /** Class index 0: not engaged. */
    NEGATIVE(0, "negative"),

    /** Class index 1: engaged (the paper's positive class). */
    POSITIVE(1, "positive");

    private final int classIndex;
    private final String id;

    Target(int classIndex, String id) {
        this.classIndex = classIndex;
        this.id = id;
    }

    /** @return the index of the class in the model's logits: 0 or 1 */
    public int classIndex() {
        return classIndex;
    }

    /** @return {@code negative} or {@code positive}, as in file names */
    public String id() {
        return id;
    }

    /**
     * @param id {@code negative} or {@code positive} (case-insensitive), or {@code 0} / {@code 1}
     * @return the target
     * @throws IllegalArgumentException for anything else
     */
    public static Target fromId(String id) {
        Objects.requireNonNull(id, "id");
        String s = id.trim();
        for (Target t : values()) {
            if (t.id.equalsIgnoreCase(s) || t.name().equalsIgnoreCase(s)
                    || s.equals(Integer.toString(t.classIndex))) {
                return t;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "unknown target '%s', expected negative (class 0) or positive (class 1)", id));
    }
}
