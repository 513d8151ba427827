package org.engagement4j.xai.attention;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.engagement4j.core.model.Provenance;

/**
 * The attention maps of one clip, with the model's logits and softmax probabilities for that
 * clip. Immutable.
 *
 * @since 0.1.0
 */
public final class Explanation {

    private final float[] logits;
    private final double[] probabilities;
    private final Provenance provenance;
    private final List<AttentionMap> maps;

    private Explanation(float[] logits, double[] probabilities, Provenance provenance,
            List<AttentionMap> maps) {
        this.logits = logits;
        this.probabilities = probabilities;
        this.provenance = provenance;
        this.maps = maps;
    }

    /**
     * @param logits the model's logits for the clip (copied), at least 2
     * @param provenance the model's provenance
     * @param maps the maps, at most one per method and target (copied)
     * @return the explanation
     * @throws IllegalArgumentException if there are fewer than two logits, a logit is not finite,
     *     or two maps share a method and target
     */
    public static Explanation of(float[] logits, Provenance provenance, List<AttentionMap> maps) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(provenance, "provenance");
        List<AttentionMap> copy = new ArrayList<>(List.copyOf(maps));
        copy.sort(Comparator.comparing(AttentionMap::method).thenComparing(AttentionMap::target));
        if (logits.length < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "logits: %d values, a classifier has at least 2", logits.length));
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("logits: " + v + " is not finite");
            }
            max = Math.max(max, v);
        }
        for (int i = 0; i < copy.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (copy.get(i).method() == copy.get(j).method()
                        && copy.get(i).target() == copy.get(j).target()) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "maps: two %s maps of target %s", copy.get(i).method().id(),
                            copy.get(i).target().id()));
                }
            }
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return new Explanation(logits.clone(), p, provenance, Collections.unmodifiableList(copy));
    }

    /** @return a copy of the model's logits for the clip */
    public float[] logits() {
        return logits.clone();
    }

    /** @return a copy of {@code softmax(logits)}, computed in double precision */
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** @return the model's provenance */
    public Provenance provenance() {
        return provenance;
    }

    /** @return every map, ordered by method and then target */
    public List<AttentionMap> maps() {
        return maps;
    }

    /** @return the methods that have at least one map */
    public Set<AttentionMethod> methods() {
        EnumSet<AttentionMethod> s = EnumSet.noneOf(AttentionMethod.class);
        maps.forEach(m -> s.add(m.method()));
        return Collections.unmodifiableSet(s);
    }

    /** @return the targets that have at least one map */
    public Set<Target> targets() {
        EnumSet<Target> s = EnumSet.noneOf(Target.class);
        maps.forEach(m -> s.add(m.target()));
        return Collections.unmodifiableSet(s);
    }

    /**
     * @param method a method
     * @param target a target
     * @return that map, if it was computed
     */
    public Optional<AttentionMap> find(AttentionMethod method, Target target) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        return maps.stream().filter(m -> m.method() == method && m.target() == target).findFirst();
    }

    /**
     * @param method a method
     * @param target a target
     * @return that map
     * @throws IllegalArgumentException if it was not computed (the message lists what was)
     */
    public AttentionMap get(AttentionMethod method, Target target) {
        return find(method, target).orElseThrow(() -> new IllegalArgumentException(String.format(
                Locale.ROOT, "no %s map of target %s; this explanation holds %s", method.id(),
                target.id(), maps)));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Explanation[%d maps, p = %s]", maps.size(),
                java.util.Arrays.toString(probabilities));
    }
}
