package org.engagement4j.core.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** {@link LabelledClips#concat}: index {@code i} maps to a part by the running sizes. */
final class ConcatClips implements LabelledClips {

    private final String name;
    private final List<LabelledClips> parts;
    private final int[] starts;
    private final long[] shape;

    private ConcatClips(String name, List<LabelledClips> parts) {
        this.name = name;
        this.parts = parts;
        this.starts = new int[parts.size() + 1];
        for (int i = 0; i < parts.size(); i++) {
            starts[i + 1] = Math.addExact(starts[i], parts.get(i).size());
        }
        this.shape = parts.get(0).clipShape();
    }

    static ConcatClips of(List<LabelledClips> parts, String name) {
        Objects.requireNonNull(name, "name");
        List<LabelledClips> copy = List.copyOf(Objects.requireNonNull(parts, "parts"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(name + ": no set to concatenate");
        }
        long[] first = copy.get(0).clipShape();
        for (LabelledClips p : copy) {
            if (!Arrays.equals(first, p.clipShape())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %s has clips of shape %s, %s has %s", name, p.name(),
                        Arrays.toString(p.clipShape()), copy.get(0).name(), Arrays.toString(first)));
            }
        }
        return new ConcatClips(name, copy);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return starts[parts.size()];
    }

    @Override
    public long[] clipShape() {
        return shape.clone();
    }

    @Override
    public float[] clip(int index) {
        int p = part(index);
        return parts.get(p).clip(index - starts[p]);
    }

    @Override
    public boolean label(int index) {
        int p = part(index);
        return parts.get(p).label(index - starts[p]);
    }

    @Override
    public LabelledClips forEpoch(int epoch) {
        List<LabelledClips> e = new ArrayList<>(parts.size());
        for (LabelledClips p : parts) {
            e.add(p.forEpoch(epoch));
        }
        return new ConcatClips(name, List.copyOf(e));
    }

    private int part(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                    "%s: clip %d of %d", name, index, size()));
        }
        int i = Arrays.binarySearch(starts, index);
        // binarySearch returns the first part starting at index, or -(insertion point) - 1;
        // empty parts share a start, so step past them.
        int p = i >= 0 ? i : -i - 2;
        while (starts[p + 1] <= index) {
            p++;
        }
        return p;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ConcatClips[%s, %d parts, %d clips]", name, parts.size(), size());
    }
}
