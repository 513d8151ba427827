package org.engagement4j.core.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Labelled training clips for {@link FineTuner}: random access to normalised clip tensors of one
 * shape (for mc3 {@code [3, T, H, W]}) and their binary labels.
 *
 * @since 0.1.0
 */
public interface LabelledClips {

    /** @return a name for messages (e.g. "train fold 0-2") */
    String name();

    /** @return the number of clips */
    int size();

    /** @return the shape of one clip, without the batch axis (a copy) */
    long[] clipShape();

    /**
     * @param index 0 to size() - 1
     * @return the clip in C order; the caller does not modify it
     */
    float[] clip(int index);

    /**
     * @param index 0 to size() - 1
     * @return true for class 1 (engaged)
     */
    boolean label(int index);

    /**
     * The clips of training epoch {@code epoch} (1-based). {@link FineTuner} asks for every
     * epoch's set, so that a set drawn from sessions can give each epoch fresh snippets and fresh
     * augmentation parameters ({@link SampledClips#forEpoch}); the result must depend on
     * {@code epoch} and this set only, so that a resumed run sees the same clips. Clips held in
     * memory are the same in every epoch (this default).
     *
     * @param epoch the training epoch, at least 1
     * @return the set of that epoch, of this set's clip shape
     * @throws IllegalArgumentException if {@code epoch < 1}
     */
    default LabelledClips forEpoch(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: training epoch %d, must be at least 1", name(), epoch));
        }
        return this;
    }

    /**
     * The sets one after the other (e.g. the training folds of a cross-validation run); epoch
     * {@code e} of the union is the union of each part's epoch {@code e}.
     *
     * @param parts the sets, at least one, all of one clip shape
     * @param name a name for messages
     * @return the union
     * @throws IllegalArgumentException if there is no part or the clip shapes differ (the message
     *     names the part)
     */
    static LabelledClips concat(List<LabelledClips> parts, String name) {
        return ConcatClips.of(parts, name);
    }

    /**
     * Clips held in memory (copied).
     *
     * @param name a name for messages
     * @param clipShape the shape of one clip
     * @param clips the clips, each of clipShape's size
     * @param labels one per clip
     * @return the set
     * @throws IllegalArgumentException if the set is empty, the counts differ or a clip has the wrong size
     */
    static LabelledClips of(String name, long[] clipShape, List<float[]> clips, boolean[] labels) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clipShape, "clipShape");
        Objects.requireNonNull(clips, "clips");
        Objects.requireNonNull(labels, "labels");
        long per = 1;
        for (long d : clipShape) {
            if (d < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: clip shape %s has a dimension below 1", name, Arrays.toString(clipShape)));
            }
            per *= d;
        }
        if (clips.isEmpty() || clips.size() != labels.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d clips and %d labels; need the same positive number", name, clips.size(), labels.length));
        }
        List<float[]> copy = new ArrayList<>(clips.size());
        for (int i = 0; i < clips.size(); i++) {
            float[] c = Objects.requireNonNull(clips.get(i), "clip " + i);
            if (c.length != per) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: clip %d has %d values, shape %s needs %d", name, i, c.length,
                        Arrays.toString(clipShape), per));
            }
            copy.add(c.clone());
        }
        return new InMemoryClips(name, clipShape.clone(), List.copyOf(copy), labels.clone());
    }
}
