package org.engagement4j.core.sampling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.internal.Seeds;

/**
 * The per-epoch training plan of the reference (Fraile et al., ICMI 2022, Section 3.3;
 * REFERENCE.md §3): for each session, {@code n} snippets (10 by default), snippet {@code i} drawn
 * as follows.
 * <ol>
 *   <li>Pick one of the session's eligible coders uniformly at random (eligible: the coder marked
 *       the task with a span at least one window long). Coders are never merged: the snippet uses
 *       that coder's task span and labels only.</li>
 *   <li>The valid start range of that coder is {@code [s, e - windowMs]} for their task span
 *       {@code [s, e)}; its length {@code L = e - windowMs - s} is cut into {@code n} chunks, chunk
 *       {@code i} being {@code [s + floor(L i / n), s + floor(L (i+1) / n))}. The start is drawn
 *       uniformly among the whole milliseconds of chunk {@code i} (its lower end when the chunk is
 *       empty, i.e. {@code L < n}). So every window lies inside the coder's task span, and
 *       consecutive snippets overlap little.</li>
 *   <li>Start frame {@code floor(startMs * fps / 1000)}, {@code frameCount} frames; label per
 *       variable: engaged iff the coder's engaged time inside {@code [startMs, startMs +
 *       windowMs)} exceeds half the window (see {@link SnippetShape}: 15 frames cover 4.8 s,
 *       the label uses 5 s).</li>
 *   <li><b>Masked time</b>: a window overlapping masked time (per {@link MaskPolicy}; default the
 *       chosen coder's) is rejected and steps 1–2 are redrawn, for snippet {@code i} in chunk
 *       {@code i}, up to {@link #withMaxRedraws(int) maxRedraws} times (100 by default); if every
 *       draw hits masked time the snippet is skipped and reported in
 *       {@link SnippetPlan#skipped()}. The reference had no masks (it dropped the {@code ignore}
 *       tier).</li>
 * </ol>
 * A session without any eligible coder yields {@code n} skipped entries.
 *
 * <p><b>Randomness.</b> Each (task, session, epoch) gets its own stream derived from the seed and
 * the session id, so a session's snippets do not depend on which other sessions are in the plan,
 * nor on their order (the reference used torch's global generator). Times are whole milliseconds
 * (the reference drew float milliseconds).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class SnippetSampler {

    /** Snippets per session and epoch of the reference. */
    public static final int DEFAULT_SNIPPETS_PER_SESSION = 10;
    /** Default number of redraws when a window hits masked time. */
    public static final int DEFAULT_MAX_REDRAWS = 100;

    private final SnippetShape shape;
    private final int perSession;
    private final int maxRedraws;
    private final MaskPolicy maskPolicy;

    private SnippetSampler(SnippetShape shape, int perSession, int maxRedraws,
            MaskPolicy maskPolicy) {
        this.shape = shape;
        this.perSession = perSession;
        this.maxRedraws = maxRedraws;
        this.maskPolicy = maskPolicy;
    }

    /**
     * @return the reference sampler: {@link SnippetShape#reference()}, 10 snippets per session,
     *     100 redraws, the chosen coder's masks
     */
    public static SnippetSampler withDefaults() {
        return new SnippetSampler(SnippetShape.reference(), DEFAULT_SNIPPETS_PER_SESSION,
                DEFAULT_MAX_REDRAWS, MaskPolicy.CHOSEN_CODER);
    }

    /**
     * @param shape window length, frame count and frame rate
     * @return a copy with that shape
     */
    public SnippetSampler withShape(SnippetShape shape) {
        return new SnippetSampler(Objects.requireNonNull(shape, "shape"), perSession, maxRedraws,
                maskPolicy);
    }

    /**
     * @param n snippets per session and epoch, {@code >= 1} (also the number of chunks)
     * @return a copy with that count
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public SnippetSampler withSnippetsPerSession(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "snippets per session must be >= 1, got %d", n));
        }
        return new SnippetSampler(shape, n, maxRedraws, maskPolicy);
    }

    /**
     * @param maxRedraws redraws allowed per snippet when its window hits masked time, {@code >= 0}
     * @return a copy with that limit
     * @throws IllegalArgumentException if negative
     */
    public SnippetSampler withMaxRedraws(int maxRedraws) {
        if (maxRedraws < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "max redraws must be >= 0, got %d", maxRedraws));
        }
        return new SnippetSampler(shape, perSession, maxRedraws, maskPolicy);
    }

    /**
     * @param policy whose masked time a snippet must avoid
     * @return a copy with that policy
     */
    public SnippetSampler withMaskPolicy(MaskPolicy policy) {
        return new SnippetSampler(shape, perSession, maxRedraws,
                Objects.requireNonNull(policy, "policy"));
    }

    /** @return the snippet shape */
    public SnippetShape shape() {
        return shape;
    }

    /** @return snippets per session and epoch */
    public int snippetsPerSession() {
        return perSession;
    }

    /** @return redraws allowed per snippet */
    public int maxRedraws() {
        return maxRedraws;
    }

    /** @return the mask policy */
    public MaskPolicy maskPolicy() {
        return maskPolicy;
    }

    /**
     * Draws one epoch's snippets for a task.
     *
     * @param sessions the sessions (any order; ids unique)
     * @param task the task
     * @param epoch the epoch number (any int; each epoch draws afresh)
     * @param seed the seed; equal inputs, epoch and seed give an equal plan
     * @return the plan, sessions in id order
     * @throws IllegalArgumentException if a session id repeats
     */
    public SnippetPlan plan(Collection<CodedSession> sessions, Task task, int epoch, long seed) {
        Objects.requireNonNull(task, "task");
        List<CodedSession> sorted = new ArrayList<>(Objects.requireNonNull(sessions, "sessions"));
        sorted.sort(Comparator.comparing(CodedSession::session));
        Set<String> seen = new HashSet<>();
        List<Snippet> snippets = new ArrayList<>();
        List<SkippedSnippet> skipped = new ArrayList<>();
        for (CodedSession s : sorted) {
            if (!seen.add(s.session())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "session %s is given more than once", s.session()));
            }
            sampleSession(s, task, epoch, seed, snippets, skipped);
        }
        return new SnippetPlan(task, epoch, seed, snippets, skipped);
    }

    /**
     * Draws one epoch's snippets of a single session; equal to that session's part of
     * {@link #plan(Collection, Task, int, long)} with the same arguments.
     *
     * @param session the session
     * @param task the task
     * @param epoch the epoch number
     * @param seed the seed
     * @return the plan of this session alone
     */
    public SnippetPlan plan(CodedSession session, Task task, int epoch, long seed) {
        return plan(List.of(Objects.requireNonNull(session, "session")), task, epoch, seed);
    }

    private void sampleSession(CodedSession s, Task task, int epoch, long seed,
            List<Snippet> out, List<SkippedSnippet> skipped) {
        List<CoderAnnotations> eligible = new ArrayList<>();
        for (CoderAnnotations c : s.coders().values()) {
            Interval span = c.taskSpans().get(task);
            if (span != null && span.durationMs() >= shape.windowMs()) {
                eligible.add(c);
            }
        }
        if (eligible.isEmpty()) {
            String reason = String.format(Locale.ROOT,
                    "no coder of session %s has a %s span of at least %d ms", s.session(),
                    task.paperName(), shape.windowMs());
            for (int i = 0; i < perSession; i++) {
                skipped.add(new SkippedSnippet(s.session(), i, reason));
            }
            return;
        }
        UniformRandomProvider rng = Seeds.rng(seed, "snippets", task.name(), s.session(),
                Integer.toString(epoch));
        for (int i = 0; i < perSession; i++) {
            Snippet snip = null;
            for (int draw = 0; draw <= maxRedraws && snip == null; draw++) {
                CoderAnnotations c = eligible.get(rng.nextInt(eligible.size()));
                Interval span = c.taskSpans().get(task);
                long range = span.durationMs() - shape.windowMs();
                long lo = span.startMs() + range * i / perSession;
                long hi = span.startMs() + range * (i + 1) / perSession;
                long start = hi > lo ? rng.nextLong(lo, hi) : lo;
                Interval window = shape.window(start);
                if (hitsMask(s, c, window)) {
                    continue;
                }
                Map<Variable, Long> engaged = LabelMaps.engagedMs(c, task, window);
                snip = new Snippet(s.session(), c.coder(), task, i, start,
                        shape.startFrame(start), shape.frameCount(), shape.windowMs(),
                        LabelMaps.labels(engaged, shape), engaged);
            }
            if (snip == null) {
                skipped.add(new SkippedSnippet(s.session(), i, String.format(Locale.ROOT,
                        "all %d draws of snippet %d of session %s (%s) overlapped masked time",
                        maxRedraws + 1, i, s.session(), task.paperName())));
            } else {
                out.add(snip);
            }
        }
    }

    private boolean hitsMask(CodedSession s, CoderAnnotations chosen, Interval window) {
        if (maskPolicy == MaskPolicy.CHOSEN_CODER) {
            return chosen.masked().overlapMs(window) > 0;
        }
        for (CoderAnnotations c : s.coders().values()) {
            if (c.masked().overlapMs(window) > 0) {
                return true;
            }
        }
        return false;
    }
}
