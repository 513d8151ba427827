package org.engagement4j.core.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.internal.Seeds;
import org.engagement4j.core.sampling.Snippet;
import org.engagement4j.core.sampling.SnippetSampler;
import org.engagement4j.core.transform.ClipAugmentation;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;

/**
 * Training clips for {@link FineTuner} drawn from sessions: the snippets of one
 * {@link SnippetSampler} plan (sessions, task, epoch, seed), each read from its session's
 * {@link ClipSource}, normalised and then transformed (the training augmentation or the test
 * transform), labelled by the snippet's label for one variable.
 *
 * <p>Clip {@code i} is plan snippet {@code i}; its transform draws from a generator derived from
 * {@code (seed, epoch, session, snippet index)}, the same stream {@link EmbeddingBaker} uses for
 * that pass, so {@link #clip(int)} returns equal values on every call and in every run with the
 * same inputs. Clips are computed on each call, not kept (memory stays that of one clip).
 *
 * <p>Per-epoch draws, as the reference's training loop: {@link #forEpoch(int) forEpoch(e)} is the
 * set planned at sampler epoch {@code epoch() + e - 1} with the same seed, so each training epoch
 * gets fresh snippet starts, fresh coders and fresh augmentation parameters, every one of them a
 * function of {@code (seed, epoch, session, snippet)} only: reproducible from the seed and equal
 * after a resume. Epoch 1 is this set itself.
 *
 * <p>Instances are immutable and thread-safe if the clip source is.
 *
 * @since 0.1.0
 */
public final class SampledClips implements LabelledClips {

    private final String name;
    private final List<CodedSession> sessions;
    private final Task task;
    private final List<Snippet> snippets;
    private final Variable variable;
    private final ClipSource clips;
    private final Normalization normalization;
    private final ClipAugmentation transform;
    private final SnippetSampler sampler;
    private final int epoch;
    private final long seed;
    private final long[] shape;

    private SampledClips(String name, List<CodedSession> sessions, Task task, List<Snippet> snippets,
            Variable variable, ClipSource clips, Normalization normalization, ClipAugmentation transform,
            SnippetSampler sampler, int epoch, long seed) {
        this.name = name;
        this.sessions = sessions;
        this.task = task;
        this.snippets = snippets;
        this.variable = variable;
        this.clips = clips;
        this.normalization = normalization;
        this.transform = transform;
        this.sampler = sampler;
        this.epoch = epoch;
        this.seed = seed;
        int[] s = tensor(0).shape();
        this.shape = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            shape[i] = s[i];
        }
    }

    /**
     * Plans the snippets and checks the first clip (which fixes {@link #clipShape()}).
     *
     * @param name a name for messages (e.g. "people training folds [0, 1, 2]")
     * @param sessions the sessions to sample
     * @param task the task
     * @param variable whose label each clip carries
     * @param clips each session's preprocessed recording
     * @param normalization the training folds' statistics, applied before the transform
     * @param sampler the snippet sampler
     * @param transform the training augmentation or the test transform
     * @param epoch the sampler epoch of the plan
     * @param seed the seed of the plan and the transforms
     * @return the set
     * @throws IllegalArgumentException if there is no session or the plan has no snippet, a
     *     clip's frame rate differs from the sampler's, a snippet lies outside its clip, or the
     *     transform does not suit the clips (each message names the session)
     * @throws UncheckedIOException if the first clip cannot be read
     */
    public static SampledClips of(String name, Collection<CodedSession> sessions, Task task,
            Variable variable, ClipSource clips, Normalization normalization,
            SnippetSampler sampler, ClipAugmentation transform, int epoch, long seed) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(clips, "clips");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(transform, "transform");
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: no session to sample", name));
        }
        List<Snippet> plan = List.copyOf(sampler.plan(sessions, task, epoch, seed).snippets());
        if (plan.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the sampler planned no snippet for task %s in sessions of %d", name,
                    task.paperName(), sessions.size()));
        }
        return new SampledClips(name, List.copyOf(sessions), task, plan, variable, clips, normalization,
                transform, sampler, epoch, seed);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return snippets.size();
    }

    @Override
    public long[] clipShape() {
        return shape.clone();
    }

    /**
     * @throws UncheckedIOException if the session's clip cannot be read
     * @throws IllegalArgumentException if the snippet lies outside its clip or the transformed
     *     shape differs from {@link #clipShape()}
     */
    @Override
    public float[] clip(int index) {
        ClipTensor t = tensor(index);
        if (t.size() != product(shape)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: snippet %d of session %s transforms to %s values, the set's clip shape"
                            + " needs %d", name, snippets.get(index).index(),
                    snippets.get(index).session(), t.size(), product(shape)));
        }
        return t.toArray();
    }

    @Override
    public boolean label(int index) {
        return snippets.get(index).label(variable);
    }

    /**
     * The set of training epoch {@code e}: planned at sampler epoch {@code epoch() + e - 1}, same
     * seed, sessions, variable, normalisation and transform (see the class description).
     *
     * @param e the training epoch, at least 1
     * @return this set for {@code e == 1}, else the newly planned set
     * @throws IllegalArgumentException if {@code e < 1} or the new plan is empty
     */
    @Override
    public SampledClips forEpoch(int e) {
        if (e < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: training epoch %d, must be at least 1", name, e));
        }
        if (e == 1) {
            return this;
        }
        return of(name, sessions, task, variable, clips, normalization, sampler, transform,
                Math.addExact(epoch, e - 1), seed);
    }

    /** @return the planned snippets, clip order */
    public List<Snippet> snippets() {
        return snippets;
    }

    /** @return the variable of the labels */
    public Variable variable() {
        return variable;
    }

    /** @return the transform applied after normalisation */
    public ClipAugmentation transform() {
        return transform;
    }

    /** @return the sampler epoch of the plan */
    public int epoch() {
        return epoch;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    private ClipTensor tensor(int index) {
        Snippet s = snippets.get(index);
        Clip clip;
        try {
            clip = clips.clip(s.session());
        } catch (IOException e) {
            throw new UncheckedIOException(String.format(Locale.ROOT,
                    "%s: cannot read the clip of session %s", name, s.session()), e);
        }
        double fps = sampler.shape().fps();
        if (Math.abs(clip.fps() - fps) > 1e-9 * fps) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: clip of session %s runs at %s fps, the sampler's snippets assume %s fps",
                    name, s.session(), clip.fps(), fps));
        }
        if (s.endFrame() > clip.frames()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: snippet %d of session %s (coder %s, %d ms) needs frames [%d, %d) but the"
                            + " clip has %d frames", name, s.index(), s.session(), s.coder(),
                    s.startMs(), s.startFrame(), s.endFrame(), clip.frames()));
        }
        ClipTensor raw = normalization.apply(clip.snippet(s.startFrame(), s.frameCount()),
                s.frameCount(), clip.height(), clip.width());
        try {
            return transform.apply(raw, Seeds.rng(seed, "transform",
                    Integer.toString(epoch), s.session(), Integer.toString(s.index())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: snippet %d of session %s: %s", name, s.index(), s.session(),
                    e.getMessage()), e);
        }
    }

    private static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return p;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SampledClips[%s, %d clips, %s, epoch %d, seed %d, %s]",
                name, snippets.size(), variable.paperName(), epoch, seed, transform);
    }
}
