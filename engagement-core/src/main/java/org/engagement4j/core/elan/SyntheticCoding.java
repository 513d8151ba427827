package org.engagement4j.core.elan;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * Generates several coders' ELAN documents of one session from a hidden ground truth, with
 * controlled disagreement: test data for the role mapping, the statistics (Table 1, Figure 1),
 * the folds and the sampler, and the synthetic demo. The documents use the reference tier names
 * and values (REFERENCE.md §1) and are written as real {@code .eaf} files that ELAN opens.
 *
 * <h2>Ground truth</h2>
 * In a session of {@code L} ms: a lead-in and a tail of {@code J + U(0.02, 0.06) L} each
 * ({@code J} = boundary jitter), three task spans in the order dolls, shaker, drum separated
 * by pauses of {@code U(0.01, 0.03) L}, sharing the rest in proportions {@code U(0.8, 1.2)}.
 * Inside each span and for each variable, engaged and not-engaged episodes alternate (the
 * first state a fair coin), with exponential durations of mean {@code meanEngagedMs} and
 * {@code meanNotEngagedMs}, at least 1,000 ms (the last one runs to the span end). Engaged
 * episodes carry a value: {@code self} or {@code joint} (even odds) for task engagement,
 * {@code attending} (70 %) or {@code excited} for social engagement. With the ignore tier on,
 * 0 to 2 masked spans of 1 to 6 s lie inside random task spans.
 *
 * <h2>Coders</h2>
 * Each coder sees the truth through independent noise:
 * <ul>
 *   <li>every boundary (task spans, episodes) moves by a uniform whole number of ms in
 *   {@code [-J, J]} ({@code [-J/2, J/2]} for ignore spans), then task spans are kept in order
 *   and at least 1 s long, and episodes are clipped to the coder's task span;</li>
 *   <li>each engaged episode is missed with probability {@code missProbability};</li>
 *   <li>each not-engaged stretch of the truth gets, with probability {@code extraProbability},
 *   a spurious engaged episode covering 20 % to 80 % of it;</li>
 *   <li>overlapping episodes are cut at the middle of their overlap; episodes under 200 ms are
 *   dropped;</li>
 *   <li>each gap between engaged episodes inside the task span is written as an explicit
 *   {@code no} annotation with probability {@code explicitNoProbability}, else left empty
 *   (both mean "not engaged");</li>
 *   <li>each ignore span is missed with probability {@code missProbability}.</li>
 * </ul>
 * Each document has the top-level tiers {@code task} (values {@code people}, {@code eggs},
 * {@code drums}, three spans in order), {@code participating}, {@code attending} and, when on,
 * {@code ignore} (value {@code ignore}), all of linguistic type {@code default-lt} with the
 * coder as annotator and author; a media descriptor for {@code <session>.mp4}; aligned time
 * slots in time order; annotation ids {@code a1, a2, ...}. Its date is the configured date plus
 * 0 to 13 days, drawn per coder.
 *
 * <h2>Reproducibility</h2>
 * Everything comes from one seed through commons-rng's {@code XO_RO_SHI_RO_128_PP}: a master
 * generator seeded with it draws the seed of the truth, then one seed per coder in order, so the
 * same seed and settings give identical documents and files, and adding a coder leaves the
 * truth and the earlier coders unchanged.
 *
 * <p>Immutable; {@code withX} methods return new instances.
 *
 * @since 0.1.0
 */
public final class SyntheticCoding {

    /** The coder name of the ground truth in {@link SyntheticSession#truth()}. */
    public static final String TRUTH = "truth";

    /** Tier names and values of the reference files. */
    static final String TASK_TIER = "task";
    static final String IGNORE_TIER = "ignore";
    static final String NO = "no";
    static final String LINGUISTIC_TYPE = "default-lt";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]+");
    private static final long MIN_EPISODE_MS = 1000;
    private static final long MIN_CODED_MS = 200;
    private static final long MIN_TASK_MS = 1000;
    private static final long MIN_TRUTH_TASK_MS = 5000;

    private final List<String> coders;
    private final long sessionLengthMs;
    private final long boundaryJitterMs;
    private final double missProbability;
    private final double extraProbability;
    private final double explicitNoProbability;
    private final boolean ignoreTier;
    private final long meanEngagedMs;
    private final long meanNotEngagedMs;
    private final LocalDate date;

    private SyntheticCoding(List<String> coders, long sessionLengthMs, long boundaryJitterMs,
            double missProbability, double extraProbability, double explicitNoProbability,
            boolean ignoreTier, long meanEngagedMs, long meanNotEngagedMs, LocalDate date) {
        this.coders = coders;
        this.sessionLengthMs = sessionLengthMs;
        this.boundaryJitterMs = boundaryJitterMs;
        this.missProbability = missProbability;
        this.extraProbability = extraProbability;
        this.explicitNoProbability = explicitNoProbability;
        this.ignoreTier = ignoreTier;
        this.meanEngagedMs = meanEngagedMs;
        this.meanNotEngagedMs = meanNotEngagedMs;
        this.date = date;
    }

    /**
     * Three coders {@code coder1..coder3}, 10 minute sessions, 400 ms boundary jitter, 10 %
     * missed and 10 % extra episodes, explicit {@code no} for half the gaps, an ignore tier,
     * episodes of 8 s (engaged) and 5 s (not engaged) on average, dated from 2022-03-01.
     *
     * @return the default generator
     */
    public static SyntheticCoding withDefaults() {
        return new SyntheticCoding(List.of("coder1", "coder2", "coder3"), 600_000L, 400L, 0.1,
                0.1, 0.5, true, 8_000L, 5_000L, LocalDate.of(2022, 3, 1));
    }

    /**
     * @param n number of coders (the paper's sessions have 2 or 3), 1 to 10
     * @return a copy with coders {@code coder1..coderN}
     * @throws IllegalArgumentException if {@code n} is outside 1 to 10
     */
    public SyntheticCoding withCoders(int n) {
        if (n < 1 || n > 10) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "number of coders must be 1 to 10, got %d", n));
        }
        List<String> names = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            names.add("coder" + i);
        }
        return withCoderNames(names);
    }

    /**
     * @param names distinct coder names of letters, digits and {@code -} (no {@code _}: it
     *     separates the parts of the file name)
     * @return a copy with these coders
     * @throws IllegalArgumentException if the list is empty, holds a duplicate or a bad name
     */
    public SyntheticCoding withCoderNames(List<String> names) {
        List<String> copy = List.copyOf(names);
        if (copy.isEmpty() || copy.size() > 10) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "number of coders must be 1 to 10, got %d", copy.size()));
        }
        Set<String> seen = new HashSet<>();
        for (String c : copy) {
            if (!NAME.matcher(c).matches() || TRUTH.equals(c)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "coder name '%s' must be letters, digits and '-' and not '%s'", c,
                        TRUTH));
            }
            if (!seen.add(c)) {
                throw new IllegalArgumentException("duplicate coder name " + c);
            }
        }
        return new SyntheticCoding(copy, sessionLengthMs, boundaryJitterMs, missProbability,
                extraProbability, explicitNoProbability, ignoreTier, meanEngagedMs,
                meanNotEngagedMs, date);
    }

    /**
     * @param ms recording length, 60,000 ms (1 min) to 86,400,000 ms (1 day)
     * @return a copy with this session length
     * @throws IllegalArgumentException if out of range
     */
    public SyntheticCoding withSessionLengthMs(long ms) {
        if (ms < 60_000L || ms > 86_400_000L) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session length must be 60000 to 86400000 ms, got %d", ms));
        }
        return new SyntheticCoding(coders, ms, boundaryJitterMs, missProbability,
                extraProbability, explicitNoProbability, ignoreTier, meanEngagedMs,
                meanNotEngagedMs, date);
    }

    /**
     * @param ms the largest boundary shift {@code J}, 0 (coders agree on every boundary) to
     *     10,000 ms
     * @return a copy with this jitter
     * @throws IllegalArgumentException if out of range
     */
    public SyntheticCoding withBoundaryJitterMs(long ms) {
        if (ms < 0 || ms > 10_000L) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "boundary jitter must be 0 to 10000 ms, got %d", ms));
        }
        return new SyntheticCoding(coders, sessionLengthMs, ms, missProbability,
                extraProbability, explicitNoProbability, ignoreTier, meanEngagedMs,
                meanNotEngagedMs, date);
    }

    /**
     * @param p probability that a coder misses an engaged episode (or an ignore span), in
     *     [0, 1]
     * @return a copy with this probability
     * @throws IllegalArgumentException if outside [0, 1] or NaN
     */
    public SyntheticCoding withMissProbability(double p) {
        return new SyntheticCoding(coders, sessionLengthMs, boundaryJitterMs,
                probability("miss probability", p), extraProbability, explicitNoProbability,
                ignoreTier, meanEngagedMs, meanNotEngagedMs, date);
    }

    /**
     * @param p probability that a coder adds a spurious engaged episode in a not-engaged
     *     stretch, in [0, 1]
     * @return a copy with this probability
     * @throws IllegalArgumentException if outside [0, 1] or NaN
     */
    public SyntheticCoding withExtraProbability(double p) {
        return new SyntheticCoding(coders, sessionLengthMs, boundaryJitterMs, missProbability,
                probability("extra probability", p), explicitNoProbability, ignoreTier,
                meanEngagedMs, meanNotEngagedMs, date);
    }

    /**
     * @param p probability that a gap between engaged episodes is written as {@code no}, in
     *     [0, 1]
     * @return a copy with this probability
     * @throws IllegalArgumentException if outside [0, 1] or NaN
     */
    public SyntheticCoding withExplicitNoProbability(double p) {
        return new SyntheticCoding(coders, sessionLengthMs, boundaryJitterMs, missProbability,
                extraProbability, probability("explicit-no probability", p), ignoreTier,
                meanEngagedMs, meanNotEngagedMs, date);
    }

    /**
     * @param on whether to generate masked spans and the {@code ignore} tier
     * @return a copy with or without the ignore tier
     */
    public SyntheticCoding withIgnoreTier(boolean on) {
        return new SyntheticCoding(coders, sessionLengthMs, boundaryJitterMs, missProbability,
                extraProbability, explicitNoProbability, on, meanEngagedMs, meanNotEngagedMs,
                date);
    }

    /**
     * @param engagedMs mean engaged episode length, 1,000 to 600,000 ms
     * @param notEngagedMs mean not-engaged stretch length, 1,000 to 600,000 ms
     * @return a copy with these means
     * @throws IllegalArgumentException if out of range
     */
    public SyntheticCoding withMeanEpisodeMs(long engagedMs, long notEngagedMs) {
        for (long v : new long[] {engagedMs, notEngagedMs}) {
            if (v < 1_000L || v > 600_000L) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "mean episode lengths must be 1000 to 600000 ms, got %d and %d",
                        engagedMs, notEngagedMs));
            }
        }
        return new SyntheticCoding(coders, sessionLengthMs, boundaryJitterMs, missProbability,
                extraProbability, explicitNoProbability, ignoreTier, engagedMs, notEngagedMs,
                date);
    }

    /**
     * @param first the earliest coding date; each coder's date is 0 to 13 days later
     * @return a copy with this date
     */
    public SyntheticCoding withDate(LocalDate first) {
        return new SyntheticCoding(coders, sessionLengthMs, boundaryJitterMs, missProbability,
                extraProbability, explicitNoProbability, ignoreTier, meanEngagedMs,
                meanNotEngagedMs, Objects.requireNonNull(first, "first"));
    }

    /** @return the coder names */
    public List<String> coders() {
        return coders;
    }

    private static double probability(String what, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s must be in [0, 1], got %s", what, p));
        }
        return p;
    }

    /**
     * Generates one session.
     *
     * @param session the session id: letters, digits and {@code -}
     * @param seed the seed; the same seed and settings give the same session
     * @return the truth and every coder's document
     * @throws IllegalArgumentException if the session id is bad, or the session is too short
     *     for three tasks of at least {@code 5 s + 2 J} each
     */
    public SyntheticSession generate(String session, long seed) {
        if (!NAME.matcher(Objects.requireNonNull(session, "session")).matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session id '%s' must be letters, digits and '-'", session));
        }
        UniformRandomProvider master = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        Truth truth = truth(RandomSource.XO_RO_SHI_RO_128_PP.create(master.nextLong()), session);
        Map<String, ElanDocument> docs = new LinkedHashMap<>();
        Map<String, LocalDate> dates = new LinkedHashMap<>();
        Map<String, CoderAnnotations> expected = new LinkedHashMap<>();
        for (String coder : coders) {
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(master.nextLong());
            LocalDate d = date.plusDays(rng.nextInt(0, 14));
            Coding c = code(rng, truth);
            String file = session + "_" + coder + "_"
                    + String.format(Locale.ROOT, "%04d%02d%02d", d.getYear(), d.getMonthValue(),
                            d.getDayOfMonth()) + ".eaf";
            docs.put(coder, document(file, session, coder, d, c));
            dates.put(coder, d);
            expected.put(coder, c.annotations(coder));
        }
        return new SyntheticSession(session, truth.annotations(), docs, dates, expected);
    }

    /**
     * Generates several sessions, the seed of each drawn in order from one master seed.
     *
     * @param sessions session ids
     * @param seed the master seed
     * @return the sessions in the given order
     */
    public List<SyntheticSession> generateAll(List<String> sessions, long seed) {
        UniformRandomProvider master = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        List<SyntheticSession> out = new ArrayList<>(sessions.size());
        for (String s : sessions) {
            out.add(generate(s, master.nextLong()));
        }
        return out;
    }

    // ------------------------------------------------------------------ ground truth

    /** One labelled stretch of time. */
    private record Episode(long start, long end, String value) {
    }

    /** One annotation to write. */
    private record Row(String tier, long start, long end, String value) {
    }

    /** The truth: spans, engaged episodes per task and variable, masked spans. */
    private record Truth(EnumMap<Task, Interval> spans,
            EnumMap<Task, EnumMap<Variable, List<Episode>>> episodes, List<Interval> ignore) {

        CoderAnnotations annotations() {
            return toAnnotations(TRUTH, spans, episodes, ignore);
        }
    }

    /** One coder's view. */
    private record Coding(EnumMap<Task, Interval> spans,
            EnumMap<Task, EnumMap<Variable, List<Episode>>> episodes, List<Interval> ignore,
            EnumMap<Task, EnumMap<Variable, List<Interval>>> explicitNo) {

        CoderAnnotations annotations(String coder) {
            return toAnnotations(coder, spans, episodes, ignore);
        }
    }

    private static CoderAnnotations toAnnotations(String coder, EnumMap<Task, Interval> spans,
            EnumMap<Task, EnumMap<Variable, List<Episode>>> episodes, List<Interval> ignore) {
        Map<Task, Map<Variable, IntervalSet>> engaged = new EnumMap<>(Task.class);
        for (Map.Entry<Task, EnumMap<Variable, List<Episode>>> e : episodes.entrySet()) {
            Map<Variable, IntervalSet> perVar = new EnumMap<>(Variable.class);
            for (Map.Entry<Variable, List<Episode>> v : e.getValue().entrySet()) {
                List<Interval> iv = new ArrayList<>();
                for (Episode ep : v.getValue()) {
                    iv.add(Interval.of(ep.start(), ep.end()));
                }
                perVar.put(v.getKey(), IntervalSet.of(iv));
            }
            engaged.put(e.getKey(), perVar);
        }
        return new CoderAnnotations(coder, spans, engaged, IntervalSet.of(ignore));
    }

    private Truth truth(UniformRandomProvider rng, String session) {
        long l = sessionLengthMs;
        long j = boundaryJitterMs;
        long lead = j + Math.round(rng.nextDouble(0.02, 0.06) * l);
        long tail = j + Math.round(rng.nextDouble(0.02, 0.06) * l);
        long pause1 = Math.round(rng.nextDouble(0.01, 0.03) * l);
        long pause2 = Math.round(rng.nextDouble(0.01, 0.03) * l);
        long available = l - lead - tail - pause1 - pause2;
        // The smallest share of a task is 0.8 / 3.6 of what is available.
        if (available * 0.8 / 3.6 < MIN_TRUTH_TASK_MS + 2.0 * j) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session %s: %d ms leave only %d ms for three tasks with %d ms jitter;"
                            + " use a longer session or less jitter", session, l, available, j));
        }
        double[] w = {rng.nextDouble(0.8, 1.2), rng.nextDouble(0.8, 1.2),
            rng.nextDouble(0.8, 1.2)};
        double sum = w[0] + w[1] + w[2];
        EnumMap<Task, Interval> spans = new EnumMap<>(Task.class);
        long t = lead;
        Task[] tasks = Task.values();
        long[] pauses = {pause1, pause2, 0};
        for (int k = 0; k < 3; k++) {
            long len = k < 2 ? Math.round(available * w[k] / sum)
                    : l - tail - t; // the last task absorbs rounding
            spans.put(tasks[k], Interval.of(t, t + len));
            t += len + pauses[k];
        }
        EnumMap<Task, EnumMap<Variable, List<Episode>>> episodes = new EnumMap<>(Task.class);
        for (Task task : tasks) {
            EnumMap<Variable, List<Episode>> perVar = new EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                perVar.put(v, alternate(rng, spans.get(task), v));
            }
            episodes.put(task, perVar);
        }
        List<Interval> ignore = new ArrayList<>();
        if (ignoreTier) {
            int n = rng.nextInt(0, 3);
            for (int i = 0; i < n; i++) {
                Interval span = spans.get(tasks[rng.nextInt(0, 3)]);
                long len = rng.nextLong(1_000L, 6_001L);
                long start = rng.nextLong(span.startMs(), span.endMs() - len + 1);
                ignore.add(Interval.of(start, start + len));
            }
            ignore = IntervalSet.of(ignore).intervals();
        }
        return new Truth(spans, episodes, new ArrayList<>(ignore));
    }

    private List<Episode> alternate(UniformRandomProvider rng, Interval span, Variable v) {
        ContinuousSampler on = ZigguratSampler.Exponential.of(rng, meanEngagedMs);
        ContinuousSampler off = ZigguratSampler.Exponential.of(rng, meanNotEngagedMs);
        List<Episode> out = new ArrayList<>();
        boolean engaged = rng.nextBoolean();
        long t = span.startMs();
        while (t < span.endMs()) {
            long d = Math.max(MIN_EPISODE_MS, Math.round((engaged ? on : off).sample()));
            long end = t + d;
            if (span.endMs() - end < MIN_EPISODE_MS) {
                // No stretch shorter than the minimum at the end of the span either.
                end = span.endMs();
            }
            if (engaged) {
                out.add(new Episode(t, end, value(rng, v)));
            }
            t = end;
            engaged = !engaged;
        }
        return out;
    }

    private static String value(UniformRandomProvider rng, Variable v) {
        if (v == Variable.TASK_ENGAGEMENT) {
            return rng.nextBoolean() ? "self" : "joint";
        }
        return rng.nextDouble() < 0.7 ? "attending" : "excited";
    }

    // ------------------------------------------------------------------ coders

    private long jitter(UniformRandomProvider rng, long j) {
        return j == 0 ? 0 : rng.nextLong(-j, j + 1);
    }

    private Coding code(UniformRandomProvider rng, Truth truth) {
        Task[] tasks = Task.values();
        long[] b = new long[6];
        for (int k = 0; k < 3; k++) {
            Interval s = truth.spans().get(tasks[k]);
            b[2 * k] = s.startMs() + jitter(rng, boundaryJitterMs);
            b[2 * k + 1] = s.endMs() + jitter(rng, boundaryJitterMs);
        }
        b[0] = Math.max(0, b[0]);
        for (int i = 1; i < 6; i++) {
            b[i] = Math.max(b[i], b[i - 1] + (i % 2 == 1 ? MIN_TASK_MS : 0));
        }
        EnumMap<Task, Interval> spans = new EnumMap<>(Task.class);
        for (int k = 0; k < 3; k++) {
            spans.put(tasks[k], Interval.of(b[2 * k], b[2 * k + 1]));
        }
        EnumMap<Task, EnumMap<Variable, List<Episode>>> episodes = new EnumMap<>(Task.class);
        EnumMap<Task, EnumMap<Variable, List<Interval>>> nos = new EnumMap<>(Task.class);
        for (Task task : tasks) {
            EnumMap<Variable, List<Episode>> perVar = new EnumMap<>(Variable.class);
            EnumMap<Variable, List<Interval>> noVar = new EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                List<Episode> eps = codeEpisodes(rng, truth.spans().get(task), spans.get(task),
                        truth.episodes().get(task).get(v), v);
                perVar.put(v, eps);
                noVar.put(v, explicitNo(rng, spans.get(task), eps));
            }
            episodes.put(task, perVar);
            nos.put(task, noVar);
        }
        List<Interval> ignore = new ArrayList<>();
        for (Interval m : truth.ignore()) {
            if (rng.nextDouble() < missProbability) {
                continue;
            }
            long s = Math.max(0, m.startMs() + jitter(rng, boundaryJitterMs / 2));
            long e = m.endMs() + jitter(rng, boundaryJitterMs / 2);
            if (e - s >= MIN_CODED_MS) {
                ignore.add(Interval.of(s, e));
            }
        }
        ignore = new ArrayList<>(IntervalSet.of(ignore).intervals());
        return new Coding(spans, episodes, ignore, nos);
    }

    private List<Episode> codeEpisodes(UniformRandomProvider rng, Interval truthSpan,
            Interval span, List<Episode> truth, Variable v) {
        List<Episode> raw = new ArrayList<>();
        long prevEnd = truthSpan.startMs();
        for (int i = 0; i <= truth.size(); i++) {
            // The not-engaged stretch before episode i (or after the last one).
            long gapEnd = i < truth.size() ? truth.get(i).start() : truthSpan.endMs();
            long gap = gapEnd - prevEnd;
            if (gap >= 2 * MIN_CODED_MS && rng.nextDouble() < extraProbability) {
                long len = Math.max(MIN_CODED_MS, Math.round(gap * rng.nextDouble(0.2, 0.8)));
                long s = prevEnd + rng.nextLong(0, gap - len + 1);
                raw.add(new Episode(s, s + len, value(rng, v)));
            }
            if (i < truth.size()) {
                Episode e = truth.get(i);
                if (rng.nextDouble() >= missProbability) {
                    long s = e.start() + jitter(rng, boundaryJitterMs);
                    long en = e.end() + jitter(rng, boundaryJitterMs);
                    raw.add(new Episode(s, en, e.value()));
                }
                prevEnd = e.end();
            }
        }
        raw.sort((x, y) -> Long.compare(x.start(), y.start()));
        // Clip to the coder's span, then cut each overlap in the middle; the start order of
        // the clipped episodes is the start order of the raw ones.
        List<long[]> cut = new ArrayList<>(raw.size());
        List<String> values = new ArrayList<>(raw.size());
        for (Episode e : raw) {
            long s = Math.max(e.start(), span.startMs());
            long en = Math.min(e.end(), span.endMs());
            if (en <= s) {
                continue;
            }
            if (!cut.isEmpty()) {
                long[] last = cut.get(cut.size() - 1);
                if (s < last[1]) {
                    long mid = (s + Math.min(last[1], en)) / 2;
                    last[1] = Math.max(last[0], mid);
                    s = Math.max(s, last[1]);
                }
            }
            if (en > s) {
                cut.add(new long[] {s, en});
                values.add(e.value());
            }
        }
        List<Episode> out = new ArrayList<>(cut.size());
        for (int i = 0; i < cut.size(); i++) {
            if (cut.get(i)[1] - cut.get(i)[0] >= MIN_CODED_MS) {
                out.add(new Episode(cut.get(i)[0], cut.get(i)[1], values.get(i)));
            }
        }
        return out;
    }

    private List<Interval> explicitNo(UniformRandomProvider rng, Interval span,
            List<Episode> eps) {
        List<Interval> out = new ArrayList<>();
        long t = span.startMs();
        for (int i = 0; i <= eps.size(); i++) {
            long end = i < eps.size() ? eps.get(i).start() : span.endMs();
            if (end - t >= MIN_CODED_MS && rng.nextDouble() < explicitNoProbability) {
                out.add(Interval.of(t, end));
            }
            if (i < eps.size()) {
                t = eps.get(i).end();
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ documents

    private ElanDocument document(String file, String session, String coder, LocalDate d,
            Coding c) {
        List<Row> rows = new ArrayList<>();
        Task[] tasks = Task.values();
        for (Task task : tasks) {
            Interval s = c.spans().get(task);
            rows.add(new Row(TASK_TIER, s.startMs(), s.endMs(), task.referenceValue()));
        }
        for (Variable v : Variable.values()) {
            for (Task task : tasks) {
                List<Row> inTask = new ArrayList<>();
                for (Episode e : c.episodes().get(task).get(v)) {
                    inTask.add(new Row(v.referenceTier(), e.start(), e.end(), e.value()));
                }
                for (Interval n : c.explicitNo().get(task).get(v)) {
                    inTask.add(new Row(v.referenceTier(), n.startMs(), n.endMs(), NO));
                }
                inTask.sort((x, y) -> Long.compare(x.start(), y.start()));
                rows.addAll(inTask);
            }
        }
        if (ignoreTier) {
            for (Interval m : c.ignore()) {
                rows.add(new Row(IGNORE_TIER, m.startMs(), m.endMs(), IGNORE_TIER));
            }
        }
        List<long[]> bounds = new ArrayList<>(2 * rows.size()); // {time, sequence}
        // Slots in time order, two per annotation, ids by position (as ELAN numbers them).
        for (int i = 0; i < rows.size(); i++) {
            bounds.add(new long[] {rows.get(i).start(), 2L * i});
            bounds.add(new long[] {rows.get(i).end(), 2L * i + 1});
        }
        bounds.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0])
                : Long.compare(x[1], y[1]));
        String[] slotOf = new String[bounds.size()];
        List<TimeSlot> slots = new ArrayList<>(bounds.size());
        for (int k = 0; k < bounds.size(); k++) {
            String id = "ts" + (k + 1);
            slots.add(TimeSlot.aligned(id, bounds.get(k)[0]));
            slotOf[(int) bounds.get(k)[1]] = id;
        }
        Map<String, List<Annotation>> byTier = new LinkedHashMap<>();
        List<String> tierIds = new ArrayList<>(List.of(TASK_TIER,
                Variable.TASK_ENGAGEMENT.referenceTier(), Variable.SOCIAL_ENGAGEMENT.referenceTier()));
        if (ignoreTier) {
            tierIds.add(IGNORE_TIER);
        }
        for (String t : tierIds) {
            byTier.put(t, new ArrayList<>());
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            byTier.get(r.tier()).add(Annotation.alignable("a" + (i + 1), r.tier(), r.start(),
                    r.end(), r.value(), slotOf[2 * i], slotOf[2 * i + 1]));
        }
        List<Tier> tiers = new ArrayList<>();
        for (Map.Entry<String, List<Annotation>> e : byTier.entrySet()) {
            tiers.add(new Tier(e.getKey(), Optional.empty(), Optional.of(coder), Optional.empty(),
                    LINGUISTIC_TYPE, e.getValue()));
        }
        String mediaName = session + ".mp4";
        MediaDescriptor media = new MediaDescriptor("file:///" + mediaName, "video/mp4",
                Optional.of("./" + mediaName), 0L);
        String dateTime = String.format(Locale.ROOT, "%04d-%02d-%02dT12:00:00+00:00",
                d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        return new ElanDocument(file, "3.0", "3.0", ElanDocument.MILLISECONDS, List.of(media),
                slots, tiers, List.of(), List.of(LinguisticType.topLevel(LINGUISTIC_TYPE)), coder,
                Optional.of(dateTime));
    }
}
