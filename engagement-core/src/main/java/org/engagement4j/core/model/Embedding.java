package org.engagement4j.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The encoder output of one clip: for mc3_18 the 512 globally average-pooled {@code layer4}
 * features that the final {@code Linear} layer reads; what the reference baked to disk to train
 * new heads (REFERENCE.md §6). Made by {@link EngagementClassifier#embed(ClipBatch)}.
 *
 * @param values the features (a copy is kept and returned)
 * @param provenance the model and software that produced them
 * @since 0.1.0
 */
public record Embedding(float[] values, Provenance provenance) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public Embedding {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(provenance, "provenance");
        if (values.length == 0) {
            throw new IllegalArgumentException("values: an embedding has at least one value");
        }
        values = values.clone();
    }

    /** @return a copy of the features */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** @return the number of features */
    public int size() {
        return values.length;
    }

    /**
     * @param o another object
     * @return whether {@code o} is an embedding with bit-identical values and equal provenance
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding && Arrays.equals(values, ((Embedding) o).values)
                && provenance.equals(((Embedding) o).provenance);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + provenance.hashCode();
    }

    @Override
    public String toString() {
        return "Embedding[" + values.length + " values]";
    }
}
