package org.engagement4j.core.training;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a head trains or is evaluated on: {@code N} embeddings of width {@code D} (float32, as the
 * encoder produces them) with one binary label each, for one variable. Usually made by
 * {@link EmbeddingTable#labelled(org.engagement4j.core.annotation.Variable)} from baked
 * embeddings; {@link #of(float[], int, boolean[], String)} takes any arrays (a test, a torch
 * fixture).
 *
 * <p>Immutable: the factory copies, {@link #features()} returns a copy. The name appears in
 * error messages (e.g. {@code "dolls / task engagement, training folds [0, 1, 2]"}).
 *
 * @since 0.1.0
 */
public final class LabelledEmbeddings {

    private final float[] features;
    private final int dimension;
    private final boolean[] labels;
    private final String name;

    private LabelledEmbeddings(float[] features, int dimension, boolean[] labels, String name) {
        this.features = features;
        this.dimension = dimension;
        this.labels = labels;
        this.name = name;
    }

    /**
     * @param features {@code [N, D]} row-major, every value finite (copied)
     * @param dimension D, at least 1
     * @param labels N labels, {@code true} = engaged (copied)
     * @param name a description for messages
     * @return the set
     * @throws IllegalArgumentException if there is no row, {@code features.length != N * D}, or
     *     a value is not finite (the message gives row and column)
     */
    public static LabelledEmbeddings of(float[] features, int dimension, boolean[] labels,
            String name) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(name, "name");
        if (dimension < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: dimension %d, must be at least 1", name, dimension));
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: no embeddings", name));
        }
        if ((long) labels.length * dimension != features.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d feature values are not %d rows x %d", name, features.length,
                    labels.length, dimension));
        }
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: feature %d of row %d is %s; embeddings must be finite", name,
                        i % dimension, i / dimension, features[i]));
            }
        }
        return new LabelledEmbeddings(features.clone(), dimension, labels.clone(), name);
    }

    /**
     * The rows of several sets, in order (e.g. the training folds).
     *
     * @param parts at least one set, all of one dimension
     * @param name the name of the union
     * @return the union
     * @throws IllegalArgumentException if the list is empty or the dimensions differ
     */
    public static LabelledEmbeddings concat(List<LabelledEmbeddings> parts, String name) {
        Objects.requireNonNull(parts, "parts");
        Objects.requireNonNull(name, "name");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(name + ": no set to join");
        }
        int d = parts.get(0).dimension;
        long n = 0;
        for (LabelledEmbeddings p : parts) {
            if (p.dimension != d) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %s has dimension %d, %s has %d", name, p.name, p.dimension,
                        parts.get(0).name, d));
            }
            n += p.labels.length;
        }
        if (n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d rows x %d values exceed one array", name, n, d));
        }
        float[] f = new float[(int) (n * d)];
        boolean[] l = new boolean[(int) n];
        int row = 0;
        for (LabelledEmbeddings p : parts) {
            System.arraycopy(p.features, 0, f, row * d, p.features.length);
            System.arraycopy(p.labels, 0, l, row, p.labels.length);
            row += p.labels.length;
        }
        return new LabelledEmbeddings(f, d, l, name);
    }

    /** @return N, the number of rows */
    public int size() {
        return labels.length;
    }

    /** @return D */
    public int dimension() {
        return dimension;
    }

    /** @return the name given at creation */
    public String name() {
        return name;
    }

    /** @return a copy of the features, {@code [N, D]} row-major */
    public float[] features() {
        return features.clone();
    }

    /** @return a copy of the labels */
    public boolean[] labels() {
        return labels.clone();
    }

    /**
     * @param row a row
     * @return its label
     */
    public boolean label(int row) {
        return labels[Objects.checkIndex(row, labels.length)];
    }

    /** @return the number of positive labels */
    public int positives() {
        int p = 0;
        for (boolean b : labels) {
            if (b) {
                p++;
            }
        }
        return p;
    }

    /** @return the fraction of positive labels, the reference's empirical probability p */
    public double positiveRate() {
        return (double) positives() / labels.length;
    }

    /** The backing features, never modified: for the trainer's loops. */
    float[] data() {
        return features;
    }

    /** The backing labels, never modified. */
    boolean[] labelData() {
        return labels;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LabelledEmbeddings[%s: %d x %d, %d positive]", name,
                labels.length, dimension, positives());
    }
}
