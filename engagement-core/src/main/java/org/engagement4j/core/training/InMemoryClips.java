package org.engagement4j.core.training;

import java.util.List;

/** {@link LabelledClips#of}: the arrays are private copies, never handed out for writing. */
record InMemoryClips(String name, long[] shape, List<float[]> clips, boolean[] labels) implements LabelledClips {

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public long[] clipShape() {
        return shape.clone();
    }

    @Override
    public float[] clip(int index) {
        return clips.get(index);
    }

    @Override
    public boolean label(int index) {
        return labels[index];
    }
}
