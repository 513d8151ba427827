package org.engagement4j.core.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.sampling.EvaluationWindow;
import org.engagement4j.metrics.agreement.CohensKappa;
import org.engagement4j.metrics.agreement.PairMean;
import org.engagement4j.metrics.agreement.RaterMatrix;

/**
 * Human-human and human-machine agreement of one classifier (task, variable) on the test
 * sessions: the paper's Figure 3 (raw agreement and Cohen's kappa per rater pair) and Table 3
 * (kappa averaged over human-human and over human-machine pairs); Fraile et al., ICMI 2022,
 * Section 4.2; REFERENCE.md §10.
 *
 * <p>The rows are back-to-back, non-overlapping windows over each test session's span shared by
 * all coders ({@link org.engagement4j.core.sampling.EvaluationWindows}); every coder of a session
 * labels its windows by the more-than-half rule, a coder who did not code a session is missing
 * there, and each pair is compared on the rows both labelled. The machine labels every window with
 * the argmax of its logits: the reference thresholded the raw 2-logit output at 0
 * ({@code score > 0}), a defect this class does not copy.
 *
 * @param task the task
 * @param variable the variable
 * @param windows the number of windows (rows)
 * @param humans the coder names, sorted
 * @param machineName the machine rater's name
 * @param raters the rater matrix: {@code humans} in order, then the machine
 * @since 0.1.0
 */
public record AgreementRecord(Task task, Variable variable, int windows, List<String> humans,
        String machineName, RaterMatrix raters) {

    /** The machine rater's default name. */
    public static final String MACHINE = "machine";

    /**
     * @throws NullPointerException if a component is null
     */
    public AgreementRecord {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(machineName, "machineName");
        Objects.requireNonNull(raters, "raters");
        humans = List.copyOf(humans);
    }

    /**
     * Builds the rater matrix of some windows.
     *
     * @param task the task of the windows
     * @param variable the variable the machine predicts
     * @param windows the windows, e.g. of every test session
     * @param machine the machine's label per window, 0 or 1 (e.g. {@link ModelEvaluator#predict})
     * @return the record
     * @throws IllegalArgumentException if there is no window, a window belongs to another task,
     *     the label count differs from the window count, a label is not 0 or 1, or a coder is
     *     called {@value #MACHINE}
     */
    public static AgreementRecord of(Task task, Variable variable, List<EvaluationWindow> windows,
            int[] machine) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(machine, "machine");
        if (windows.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "no evaluation window for %s: no test session has a span shared by all its"
                            + " coders at least one window long", task.paperName()));
        }
        if (machine.length != windows.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d machine labels for %d windows", machine.length, windows.size()));
        }
        TreeSet<String> coders = new TreeSet<>();
        for (EvaluationWindow w : windows) {
            if (w.task() != task) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "window %d of session %s is a %s window, expected %s", w.index(),
                        w.session(), w.task().paperName(), task.paperName()));
            }
            coders.addAll(w.labels().keySet());
        }
        if (coders.contains(MACHINE)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a coder is called \"%s\", the name of the machine rater", MACHINE));
        }
        Map<String, int[]> labels = new LinkedHashMap<>();
        for (String c : coders) {
            int[] l = new int[windows.size()];
            for (int i = 0; i < l.length; i++) {
                Map<Variable, Boolean> m = windows.get(i).labels().get(c);
                l[i] = m == null ? CohensKappa.MISSING : (m.get(variable) ? 1 : 0);
            }
            labels.put(c, l);
        }
        for (int i = 0; i < machine.length; i++) {
            if (machine[i] != 0 && machine[i] != 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "machine label %d of window %d (session %s) is not 0 or 1", machine[i], i,
                        windows.get(i).session()));
            }
        }
        labels.put(MACHINE, machine.clone());
        return new AgreementRecord(task, variable, windows.size(), new ArrayList<>(coders),
                MACHINE, RaterMatrix.of(labels));
    }

    /** @return mean kappa over the human-human pairs (Table 3, "Human") */
    public PairMean humanHumanKappa() {
        return raters.meanKappa(humans, humans);
    }

    /** @return mean kappa over the human-machine pairs (Table 3, "Machine") */
    public PairMean humanMachineKappa() {
        return raters.meanKappa(humans, List.of(machineName));
    }

    /** @return mean raw agreement over the human-human pairs */
    public PairMean humanHumanAgreement() {
        return raters.meanAgreement(humans, humans);
    }

    /** @return mean raw agreement over the human-machine pairs */
    public PairMean humanMachineAgreement() {
        return raters.meanAgreement(humans, List.of(machineName));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AgreementRecord[%s / %s, %d windows, human kappa %s,"
                + " machine kappa %s]", task.paperName(), variable.paperName(), windows,
                PerformanceRecord.fmt(humanHumanKappa().mean()),
                PerformanceRecord.fmt(humanMachineKappa().mean()));
    }
}
