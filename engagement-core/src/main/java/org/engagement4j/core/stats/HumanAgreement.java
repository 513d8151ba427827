package org.engagement4j.core.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.metrics.agreement.CohensKappa;
import org.engagement4j.metrics.agreement.RaterMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Human-human inter-rater agreement on continuous annotations (REFERENCE.md §10; Fraile et al.,
 * ICMI 2022, §3.2 and Figure 1): every coder's binary labels are sampled at a fixed step over the
 * minimal interval of each session and task, and the coders are compared pairwise with raw
 * agreement and Cohen's kappa.
 *
 * <p><b>Sampling.</b> For session {@code s} and task {@code t} with minimal interval
 * {@code [a, b)} ({@link CodedSession#sharedSpan(Task)}), the sample times are
 * {@code a + k * step} for {@code k = 0, 1, ...} while the time is below {@code b}: the interval
 * is half-open, so there are {@code ceil((b - a) / step)} samples and none at {@code b}. The
 * reference code marked each annotation span on a rounded decisecond grid with an inclusive end,
 * one extra "engaged" sample per span; that off-by-one is not reproduced. At each time a coder of
 * the session gets label 1 if engaged in the variable, 0 otherwise (gaps are not engaged); a coder
 * who did not code the session gets no label ({@link CohensKappa#MISSING}), so each pair is
 * compared only on the sessions both coded. A session whose coders share no time of a task adds
 * no sample for it.
 *
 * <p><b>Pooling.</b> Samples are pooled over sessions (not averaged per session), and over tasks
 * and variables according to the {@link AgreementScope}: twelve matrices, from all tasks and both
 * variables (Figure 1) down to one task and one variable.
 *
 * <p>Masked time (the {@code ignore} tier) is sampled like any other by default, as the paper
 * did; {@link #withMaskedExcluded(boolean)} leaves a coder's masked samples unlabelled instead.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class HumanAgreement {

    /** The paper's sampling step: 100 ms. */
    public static final long REFERENCE_STEP_MS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(HumanAgreement.class);

    private static final HumanAgreement REFERENCE = new HumanAgreement(REFERENCE_STEP_MS, false);

    private final long stepMs;
    private final boolean maskedExcluded;

    private HumanAgreement(long stepMs, boolean maskedExcluded) {
        this.stepMs = stepMs;
        this.maskedExcluded = maskedExcluded;
    }

    /** @return sampling every 100 ms, masked time included */
    public static HumanAgreement reference() {
        return REFERENCE;
    }

    /**
     * @param step sampling step in milliseconds, positive
     * @return a new instance with that step
     * @throws IllegalArgumentException if {@code step < 1}
     */
    public HumanAgreement withStepMs(long step) {
        if (step < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "stepMs = %d: the sampling step must be at least 1 ms", step));
        }
        return new HumanAgreement(step, maskedExcluded);
    }

    /**
     * @param excluded whether a sample inside a coder's masked time is left unlabelled for that
     *     coder
     * @return a new instance with that policy
     */
    public HumanAgreement withMaskedExcluded(boolean excluded) {
        return new HumanAgreement(stepMs, excluded);
    }

    /** @return the sampling step in milliseconds */
    public long stepMs() {
        return stepMs;
    }

    /** @return whether masked samples are left unlabelled */
    public boolean maskedExcluded() {
        return maskedExcluded;
    }

    /**
     * Computes the agreement matrices of all {@linkplain AgreementScope#standard() standard
     * scopes} that have samples.
     *
     * @param sessions coded sessions with distinct ids, at least one
     * @return the table
     * @throws IllegalArgumentException if {@code sessions} is empty, two share an id, no session
     *     has a task span shared by all its coders (nothing to sample), or the samples exceed
     *     {@code Integer.MAX_VALUE} rows
     */
    public AgreementTable compute(Collection<CodedSession> sessions) {
        List<CodedSession> list = Inputs.sessions(sessions);
        TreeSet<String> names = new TreeSet<>();
        for (CodedSession s : list) {
            names.addAll(s.coderNames());
        }
        List<String> coders = List.copyOf(names);
        Map<Task, Map<Variable, Map<String, int[]>>> blocks = new EnumMap<>(Task.class);
        for (Task t : Task.values()) {
            Map<Variable, Map<String, int[]>> perVar = new EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                List<Map<String, int[]>> parts = new ArrayList<>();
                for (CodedSession s : list) {
                    labels(s, t, v, coders).ifPresent(parts::add);
                }
                perVar.put(v, concat(coders, parts));
            }
            blocks.put(t, perVar);
        }
        List<AgreementMatrix> matrices = new ArrayList<>();
        for (AgreementScope scope : AgreementScope.standard()) {
            List<Map<String, int[]>> parts = new ArrayList<>();
            for (Task t : Task.values()) {
                for (Variable v : Variable.values()) {
                    if (scope.includes(t, v)) {
                        parts.add(blocks.get(t).get(v));
                    }
                }
            }
            Map<String, int[]> pooled = concat(coders, parts);
            int rows = pooled.get(coders.get(0)).length;
            if (rows == 0) {
                LOG.debug("agreement scope {}: no sample (no shared task span)", scope);
                continue;
            }
            matrices.add(new AgreementMatrix(scope, RaterMatrix.of(pooled), rows));
        }
        if (matrices.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "sessions %s: no task span is shared by all coders of any session, so there"
                            + " is nothing to sample",
                    list.stream().map(CodedSession::session).toList()));
        }
        return new AgreementTable(stepMs, maskedExcluded, coders, matrices);
    }

    /**
     * The labels of one session, task and variable: one array per coder (in {@code coders}
     * order), {@link CohensKappa#MISSING} for coders who did not code the session or, when masked
     * samples are excluded, whose masked time holds the sample.
     *
     * @return the labels, or empty when the session's coders share no time of the task
     */
    Optional<Map<String, int[]>> labels(CodedSession session, Task task, Variable variable,
            List<String> coders) {
        Optional<Interval> shared = session.sharedSpan(task);
        if (shared.isEmpty()) {
            LOG.debug("session {}: the coders share no time of task {}; no sample",
                    session.session(), task.paperName());
            return Optional.empty();
        }
        Interval span = shared.get();
        long n = (span.durationMs() + stepMs - 1) / stepMs;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session %s, task %s: %d samples at %d ms exceed the limit", session.session(),
                    task.paperName(), n, stepMs));
        }
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String name : coders) {
            int[] labels = new int[(int) n];
            CoderAnnotations c = session.coders().get(name);
            if (c == null) {
                Arrays.fill(labels, CohensKappa.MISSING);
            } else {
                for (int k = 0; k < labels.length; k++) {
                    long t = span.startMs() + k * stepMs;
                    if (maskedExcluded && c.masked().contains(t)) {
                        labels[k] = CohensKappa.MISSING;
                    } else {
                        labels[k] = c.isEngaged(task, variable, t) ? 1 : 0;
                    }
                }
            }
            out.put(name, labels);
        }
        return Optional.of(out);
    }

    private static Map<String, int[]> concat(List<String> coders, List<Map<String, int[]>> parts) {
        long total = 0;
        for (Map<String, int[]> p : parts) {
            total += p.get(coders.get(0)).length;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d samples exceed the limit of %d; use a longer sampling step", total,
                    Integer.MAX_VALUE));
        }
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String name : coders) {
            int[] all = new int[(int) total];
            int at = 0;
            for (Map<String, int[]> p : parts) {
                int[] a = p.get(name);
                System.arraycopy(a, 0, all, at, a.length);
                at += a.length;
            }
            out.put(name, all);
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "HumanAgreement[step %d ms, masked %s]", stepMs,
                maskedExcluded ? "excluded" : "included");
    }
}
