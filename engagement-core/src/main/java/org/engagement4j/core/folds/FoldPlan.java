package org.engagement4j.core.folds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * A split of sessions into folds, as found by {@link FoldSplitter}: the last fold is the test set,
 * the others serve k-fold cross-validation or last-out validation (REFERENCE.md §4).
 *
 * <p>Immutable: every list and map is an unmodifiable copy. Session ids inside a fold are sorted.
 * Positive rates are the time-weighted rates defined in {@link FoldSplitter}; a (task, variable)
 * pair is absent from a fold's map when no session of that fold has time for the task.
 *
 * @param folds session ids per fold; the last fold is the test fold
 * @param score the stratification score of this split (lower is better, 0 is perfect)
 * @param seed the seed the split was drawn with
 * @param tries random splits drawn
 * @param acceptedTries splits that met the constraints and were scored ({@code <= tries})
 * @param group sessions dealt round-robin over the folds (sorted; empty if none)
 * @param blocksInTest whether every coder block had to appear in the test fold
 * @param overallRate positive rate of the whole data set per task and variable
 * @param foldRates positive rate per fold, task and variable
 * @since 0.1.0
 */
public record FoldPlan(List<List<String>> folds, double score, long seed, int tries,
        int acceptedTries, List<String> group, boolean blocksInTest,
        Map<Task, Map<Variable, Double>> overallRate,
        List<Map<Task, Map<Variable, Double>>> foldRates) {

    /**
     * @throws IllegalArgumentException if there are fewer than 2 folds, a fold is empty, a
     *     session appears twice, the score is negative or not finite, {@code acceptedTries} is
     *     outside {@code [0, tries]}, or {@code foldRates} has not one entry per fold
     */
    public FoldPlan {
        Objects.requireNonNull(folds, "folds");
        if (folds.size() < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a fold plan needs at least 2 folds, got %d", folds.size()));
        }
        Set<String> seen = new HashSet<>();
        List<List<String>> fs = new ArrayList<>(folds.size());
        for (int k = 0; k < folds.size(); k++) {
            List<String> fold = new ArrayList<>(Objects.requireNonNull(folds.get(k), "fold"));
            if (fold.isEmpty()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "fold %d has no session", k));
            }
            for (String s : fold) {
                if (!seen.add(Objects.requireNonNull(s, "session"))) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "session %s appears in more than one place (again in fold %d)", s, k));
                }
            }
            Collections.sort(fold);
            fs.add(Collections.unmodifiableList(fold));
        }
        if (!Double.isFinite(score) || score < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fold score must be finite and >= 0, got %s", score));
        }
        if (acceptedTries < 0 || acceptedTries > tries) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "accepted tries %d outside [0, %d]", acceptedTries, tries));
        }
        Objects.requireNonNull(foldRates, "foldRates");
        if (foldRates.size() != fs.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d fold rate maps for %d folds", foldRates.size(), fs.size()));
        }
        List<String> g = new ArrayList<>(Objects.requireNonNull(group, "group"));
        Collections.sort(g);
        List<Map<Task, Map<Variable, Double>>> fr = new ArrayList<>(foldRates.size());
        for (Map<Task, Map<Variable, Double>> m : foldRates) {
            fr.add(copyRates(m));
        }
        folds = Collections.unmodifiableList(fs);
        group = Collections.unmodifiableList(g);
        overallRate = copyRates(overallRate);
        foldRates = Collections.unmodifiableList(fr);
    }

    private static Map<Task, Map<Variable, Double>> copyRates(Map<Task, Map<Variable, Double>> in) {
        EnumMap<Task, Map<Variable, Double>> out = new EnumMap<>(Task.class);
        for (Map.Entry<Task, Map<Variable, Double>> e : Objects.requireNonNull(in, "rates")
                .entrySet()) {
            EnumMap<Variable, Double> inner = new EnumMap<>(Variable.class);
            for (Map.Entry<Variable, Double> v : e.getValue().entrySet()) {
                double r = Objects.requireNonNull(v.getValue(), "rate");
                if (!(r >= 0 && r <= 1)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "positive rate of %s / %s must lie in [0, 1], got %s",
                            e.getKey().paperName(), v.getKey().paperName(), r));
                }
                inner.put(v.getKey(), r);
            }
            if (!inner.isEmpty()) {
                out.put(e.getKey(), Collections.unmodifiableMap(inner));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return the number of folds */
    public int foldCount() {
        return folds.size();
    }

    /** @return the index of the test fold (the last one) */
    public int testFoldIndex() {
        return folds.size() - 1;
    }

    /** @return the sessions of the test fold (the last fold) */
    public List<String> testFold() {
        return folds.get(folds.size() - 1);
    }

    /** @return the sessions of every fold but the test fold, fold by fold */
    public List<List<String>> trainingFolds() {
        return folds.subList(0, folds.size() - 1);
    }

    /** @return every session of the plan, fold by fold */
    public List<String> sessions() {
        List<String> all = new ArrayList<>();
        folds.forEach(all::addAll);
        return Collections.unmodifiableList(all);
    }

    /**
     * @param session a session id
     * @return the index of the fold holding it
     * @throws IllegalArgumentException if no fold holds it
     */
    public int foldOf(String session) {
        for (int k = 0; k < folds.size(); k++) {
            if (folds.get(k).contains(session)) {
                return k;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "session %s is in no fold of this plan", session));
    }

    /**
     * The plan as pretty-printed JSON: {@code seed}, {@code tries}, {@code accepted_tries},
     * {@code score}, {@code group}, {@code blocks_in_test}, {@code test_fold},
     * {@code overall_positive_rate} (task -> variable -> rate, paper names) and {@code folds}
     * (each with {@code index}, {@code test}, {@code sessions}, {@code positive_rate}).
     *
     * @return the JSON text
     */
    public String toJson() {
        return FoldPlanJson.write(this);
    }

    /**
     * Writes {@link #toJson()} to a file (UTF-8), replacing it if it exists.
     *
     * @param file the target file
     * @throws IOException if the file cannot be written
     */
    public void writeJson(Path file) throws IOException {
        java.nio.file.Files.writeString(file, toJson(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Reads a plan written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @return the plan
     * @throws IllegalArgumentException if the text is not such a plan (naming the missing or bad
     *     field)
     */
    public static FoldPlan fromJson(String json) {
        return FoldPlanJson.read(json, "JSON text");
    }

    /**
     * Reads a plan file written by {@link #writeJson(Path)}.
     *
     * @param file the file
     * @return the plan
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not such a plan (naming the file and the
     *     field)
     */
    public static FoldPlan readJson(Path file) throws IOException {
        return FoldPlanJson.read(java.nio.file.Files.readString(file,
                java.nio.charset.StandardCharsets.UTF_8), file.toString());
    }
}
