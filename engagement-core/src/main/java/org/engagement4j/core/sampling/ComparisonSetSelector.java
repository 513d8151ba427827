package org.engagement4j.core.sampling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.ListSampler;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.internal.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the comparison set for human attention painting (Fraile et al., ICMI 2022, Section 3.4;
 * REFERENCE.md §8).
 *
 * <ol>
 *   <li><b>Sessions.</b> The given sessions (normally the test fold) are shuffled; each painter
 *       (in name order) gets the first session in that order they did not code. A painter with
 *       no such session is reported in {@link ComparisonSet#unassignedPainters()}.</li>
 *   <li><b>Samples.</b> For each painter, for each task, variable and label (positive first),
 *       up to {@link #withTries(int) tries} (10,000) starts are drawn uniformly among the whole
 *       milliseconds of {@code [s, e - windowMs]}, where {@code [s, e)} is the span shared by all
 *       coders of the session ({@link CodedSession#sharedSpan(Task)}). A start is accepted when
 *       (a) its window overlaps none of this painter's earlier picks, (b) it overlaps no coder's
 *       masked time, and (c) every coder of the session (all of them "other" coders, since the
 *       painter never coded it) labels the window with the wanted label by the > 50 % rule.
 *       {@link #withSamplesPerLabel(int) samplesPerLabel} (1) are wanted per label, so at most
 *       {@code 3 x 2 x 2 = 12} per painter; the ones not found are reported in
 *       {@link ComparisonSet#missing()}.</li>
 * </ol>
 *
 * <p><b>Differences from the reference code:</b> it drew one loop of 10,000 starts per (task,
 * variable) for both labels together, and every accepted start, also surplus ones never used,
 * blocked later picks; here each label has its own budget and only the kept picks block others.
 * It seeded nothing; here the session order comes from the seed, and each painter's draws from a
 * stream derived from the seed and the painter's name, so one painter's samples do not depend on
 * the others. Its coders' label windows were clipped to each coder's span; the shared span makes
 * that irrelevant.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ComparisonSetSelector {

    private static final Logger LOG = LoggerFactory.getLogger(ComparisonSetSelector.class);

    /** Random starts per (task, variable, label) of the reference. */
    public static final int DEFAULT_TRIES = 10_000;
    /** Samples wanted per (task, variable, label) of the reference. */
    public static final int DEFAULT_SAMPLES_PER_LABEL = 1;

    private final SnippetShape shape;
    private final int tries;
    private final int perLabel;

    private ComparisonSetSelector(SnippetShape shape, int tries, int perLabel) {
        this.shape = shape;
        this.tries = tries;
        this.perLabel = perLabel;
    }

    /**
     * @return the reference settings: {@link SnippetShape#reference()}, 10,000 tries, 1 sample per
     *     label
     */
    public static ComparisonSetSelector withDefaults() {
        return new ComparisonSetSelector(SnippetShape.reference(), DEFAULT_TRIES,
                DEFAULT_SAMPLES_PER_LABEL);
    }

    /**
     * @param shape window length, frame count and frame rate
     * @return a copy with that shape
     */
    public ComparisonSetSelector withShape(SnippetShape shape) {
        return new ComparisonSetSelector(Objects.requireNonNull(shape, "shape"), tries, perLabel);
    }

    /**
     * @param tries random starts per (painter, task, variable, label), {@code >= 1}
     * @return a copy with that budget
     * @throws IllegalArgumentException if {@code tries < 1}
     */
    public ComparisonSetSelector withTries(int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tries must be >= 1, got %d", tries));
        }
        return new ComparisonSetSelector(shape, tries, perLabel);
    }

    /**
     * @param n samples wanted per (painter, task, variable, label), {@code >= 1}
     * @return a copy wanting that many
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public ComparisonSetSelector withSamplesPerLabel(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "samples per label must be >= 1, got %d", n));
        }
        return new ComparisonSetSelector(shape, tries, n);
    }

    /** @return the snippet shape */
    public SnippetShape shape() {
        return shape;
    }

    /** @return random starts per (painter, task, variable, label) */
    public int tries() {
        return tries;
    }

    /** @return samples wanted per (painter, task, variable, label) */
    public int samplesPerLabel() {
        return perLabel;
    }

    /**
     * Selects the comparison set with every coder of the given sessions as a painter.
     *
     * @param sessions the sessions to choose from (normally the test fold)
     * @param seed the seed; equal inputs and seed give an equal set
     * @return the comparison set
     * @throws IllegalArgumentException if a session id repeats
     */
    public ComparisonSet select(Collection<CodedSession> sessions, long seed) {
        Set<String> painters = new TreeSet<>();
        for (CodedSession s : Objects.requireNonNull(sessions, "sessions")) {
            painters.addAll(s.coders().keySet());
        }
        return select(sessions, painters, seed);
    }

    /**
     * Selects the comparison set for the given painters.
     *
     * @param sessions the sessions to choose from (normally the test fold)
     * @param painters the painters (coder names)
     * @param seed the seed; equal inputs and seed give an equal set
     * @return the comparison set
     * @throws IllegalArgumentException if a session id repeats
     */
    public ComparisonSet select(Collection<CodedSession> sessions, Collection<String> painters,
            long seed) {
        List<CodedSession> order = new ArrayList<>(Objects.requireNonNull(sessions, "sessions"));
        order.sort(Comparator.comparing(CodedSession::session));
        Set<String> ids = new HashSet<>();
        for (CodedSession s : order) {
            if (!ids.add(s.session())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "session %s is given more than once", s.session()));
            }
        }
        ListSampler.shuffle(Seeds.rng(seed, "comparison-sessions"), order);
        Map<String, CodedSession> chosen = new LinkedHashMap<>();
        List<String> unassigned = new ArrayList<>();
        for (String p : new TreeSet<>(Objects.requireNonNull(painters, "painters"))) {
            Optional<CodedSession> unseen = order.stream()
                    .filter(s -> !s.coders().containsKey(p)).findFirst();
            if (unseen.isPresent()) {
                chosen.put(p, unseen.get());
            } else {
                unassigned.add(p);
            }
        }
        List<ComparisonSample> samples = new ArrayList<>();
        List<MissingComparison> missing = new ArrayList<>();
        Map<String, String> painterSessions = new TreeMap<>();
        for (Map.Entry<String, CodedSession> e : chosen.entrySet()) {
            painterSessions.put(e.getKey(), e.getValue().session());
            selectFor(e.getKey(), e.getValue(), seed, samples, missing);
        }
        LOG.debug("comparison set: {} samples, {} missing, {} painters without a session",
                samples.size(), missing.size(), unassigned.size());
        return new ComparisonSet(seed, painterSessions, samples, missing, unassigned);
    }

    private void selectFor(String painter, CodedSession session, long seed,
            List<ComparisonSample> out, List<MissingComparison> missing) {
        UniformRandomProvider rng = Seeds.rng(seed, "comparison", painter);
        List<Interval> picks = new ArrayList<>();
        for (Task task : Task.values()) {
            Optional<Interval> shared = session.sharedSpan(task);
            for (Variable variable : Variable.values()) {
                for (boolean label : new boolean[] {true, false}) {
                    if (shared.isEmpty() || shared.get().durationMs() < shape.windowMs()) {
                        String reason = shared.isEmpty()
                                ? "the coders share no " + task.paperName() + " span"
                                : String.format(Locale.ROOT,
                                        "the shared %s span %s is shorter than %d ms",
                                        task.paperName(), shared.get(), shape.windowMs());
                        for (int k = 0; k < perLabel; k++) {
                            missing.add(new MissingComparison(painter, session.session(), task,
                                    variable, label, 0, reason));
                        }
                        continue;
                    }
                    draw(painter, session, task, variable, label, shared.get(), rng, picks, out,
                            missing);
                }
            }
        }
    }

    private void draw(String painter, CodedSession session, Task task, Variable variable,
            boolean label, Interval shared, UniformRandomProvider rng, List<Interval> picks,
            List<ComparisonSample> out, List<MissingComparison> missing) {
        long lo = shared.startMs();
        long hi = shared.endMs() - shape.windowMs() + 1;
        int found = 0;
        int t = 0;
        while (t < tries && found < perLabel) {
            t++;
            long start = rng.nextLong(lo, hi);
            Interval window = shape.window(start);
            if (overlapsAny(picks, window) || masked(session, window)) {
                continue;
            }
            Map<String, Long> engaged = new TreeMap<>();
            boolean agree = true;
            for (CoderAnnotations c : session.coders().values()) {
                long ms = c.engaged(task, variable).overlapMs(window);
                if (shape.label(ms) != label) {
                    agree = false;
                    break;
                }
                engaged.put(c.coder(), ms);
            }
            if (!agree) {
                continue;
            }
            picks.add(window);
            out.add(new ComparisonSample(painter, session.session(), task, variable, label, start,
                    shape.startFrame(start), shape.frameCount(), shape.windowMs(), engaged));
            found++;
        }
        for (int k = found; k < perLabel; k++) {
            missing.add(new MissingComparison(painter, session.session(), task, variable, label,
                    t, String.format(Locale.ROOT,
                            "no %s window on which coders %s agree and that overlaps no earlier"
                                    + " pick, in %d tries",
                            label ? "positive" : "negative", session.coderNames(), t)));
        }
    }

    private static boolean overlapsAny(List<Interval> picks, Interval window) {
        for (Interval p : picks) {
            if (p.overlaps(window)) {
                return true;
            }
        }
        return false;
    }

    private static boolean masked(CodedSession session, Interval window) {
        for (CoderAnnotations c : session.coders().values()) {
            if (c.masked().overlapMs(window) > 0) {
                return true;
            }
        }
        return false;
    }
}
