package org.engagement4j.metrics.agreement;

import java.util.Locale;
import java.util.Objects;

/**
 * Argument checks shared by the label-based factories of this package. The reference code let a
 * third label value slip silently out of its kappa table; here every value is checked and the
 * first offending one is named with its index.
 */
final class Labels {

    private Labels() {
    }

    /**
     * @param name argument name for the message
     * @param labels the labels
     * @return {@code labels}, not null
     */
    static int[] requireNonNull(String name, int[] labels) {
        return Objects.requireNonNull(labels, name);
    }

    static void requireSameLength(String nameA, int lengthA, String nameB, int lengthB) {
        if (lengthA != lengthB) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s and %s: lengths differ (%d vs %d); labels must be aligned row by row",
                    nameA, nameB, lengthA, lengthB));
        }
    }

    static void requireNonEmpty(String name, int length) {
        if (length == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: at least one label is required", name));
        }
    }

    /**
     * Checks that every value is a category in {@code [0, categories)} or, when
     * {@code allowMissing}, {@link CohensKappa#MISSING}.
     */
    static void requireCategories(String name, int[] labels, int categories, boolean allowMissing) {
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i];
            if ((v < 0 || v >= categories) && !(allowMissing && v == CohensKappa.MISSING)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s[%d] = %d: labels must lie in [0, %d)%s", name, i, v, categories,
                        allowMissing ? " or be MISSING (" + CohensKappa.MISSING + ")" : ""));
            }
        }
    }

    static void requireCategoryCount(int categories) {
        if (categories < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "categories = %d: at least 2 categories are required", categories));
        }
    }
}
