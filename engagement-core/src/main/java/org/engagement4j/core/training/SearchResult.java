package org.engagement4j.core.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every trial of a {@link HeadSearch} or a {@link FineTuneSearch} (one format for both): its
 * parameters, its validation F1 per repetition and fold, their mean and standard deviation,
 * and the best trial.
 *
 * @param trials the trials in index order; trial {@code i} at position {@code i}
 * @param repetitions R, the repetitions of the cross-validation
 * @param folds K, the cross-validation folds
 * @since 0.1.0
 */
public record SearchResult(List<Trial> trials, int repetitions, int folds) {

    /** The CSV header's first columns, before the per-run F1 columns. */
    static final List<String> FIXED_COLUMNS = List.of("trial", "learning_rate",
            "learning_rate_decay", "weight_decay", "class_weights", "mean_f1", "sd_f1",
            "non_finite_runs");

    private static final Pattern F1_COLUMN = Pattern.compile("f1_r(\\d+)_f(\\d+)");

    /**
     * One trial.
     *
     * @param trial the trial index, from 0
     * @param parameters the sampled parameters
     * @param validationF1 {@code R} rows of {@code K} scores: the validation F1 of the
     *     checkpointed head with fold {@code v} for validation in repetition {@code r}
     * @param meanF1 the mean of the {@code R x K} scores
     * @param sdF1 their sample standard deviation ({@code n - 1} in the denominator; 0 when
     *     there is one score)
     * @param nonFiniteRuns the runs that stopped on a non-finite value (their score is that of
     *     their last good checkpoint)
     * @since 0.1.0
     */
    public record Trial(int trial, HeadSearch.Parameters parameters,
            List<List<Double>> validationF1, double meanF1, double sdF1, int nonFiniteRuns) {

        /**
         * Copies the scores.
         *
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if the index or count is negative, or the scores are
         *     empty or ragged
         */
        public Trial {
            Objects.requireNonNull(parameters, "parameters");
            Objects.requireNonNull(validationF1, "validationF1");
            if (trial < 0 || nonFiniteRuns < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "trial %d: index and non-finite runs (%d) must be >= 0", trial,
                        nonFiniteRuns));
            }
            List<List<Double>> copy = new ArrayList<>(validationF1.size());
            for (List<Double> row : validationF1) {
                copy.add(List.copyOf(row));
            }
            validationF1 = List.copyOf(copy);
            int width = copy.isEmpty() ? 0 : copy.get(0).size();
            if (width == 0 || copy.stream().anyMatch(r -> r.size() != width)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "trial %d: the scores must be a non-empty R x K table", trial));
            }
        }

        /**
         * @param trial the index
         * @param parameters the parameters
         * @param validationF1 the {@code R x K} scores
         * @param nonFiniteRuns runs stopped on a non-finite value
         * @return the trial with mean and sample standard deviation computed
         * @throws IllegalArgumentException as the canonical constructor
         */
        public static Trial of(int trial, HeadSearch.Parameters parameters,
                List<List<Double>> validationF1, int nonFiniteRuns) {
            double sum = 0;
            int n = 0;
            for (List<Double> row : validationF1) {
                for (double v : row) {
                    sum += v;
                    n++;
                }
            }
            double mean = n == 0 ? Double.NaN : sum / n;
            double ss = 0;
            for (List<Double> row : validationF1) {
                for (double v : row) {
                    ss += (v - mean) * (v - mean);
                }
            }
            return new Trial(trial, parameters, validationF1, mean,
                    n > 1 ? Math.sqrt(ss / (n - 1)) : 0, nonFiniteRuns);
        }
    }

    /**
     * Copies the list.
     *
     * @throws NullPointerException if the list or a trial is null
     * @throws IllegalArgumentException if there is no trial, a trial sits at the wrong
     *     position, or its scores are not {@code repetitions x folds}
     */
    public SearchResult {
        trials = List.copyOf(trials);
        if (trials.isEmpty()) {
            throw new IllegalArgumentException("a search result needs at least one trial");
        }
        for (int i = 0; i < trials.size(); i++) {
            Trial t = trials.get(i);
            if (t.trial() != i) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "trial %d sits at position %d", t.trial(), i));
            }
            if (t.validationF1().size() != repetitions
                    || t.validationF1().get(0).size() != folds) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "trial %d has %d x %d scores, the search %d repetitions x %d folds", i,
                        t.validationF1().size(), t.validationF1().get(0).size(), repetitions,
                        folds));
            }
        }
    }

    /**
     * @return the trial with the highest mean validation F1; on a tie the lowest index (a NaN
     *     mean never wins)
     */
    public Trial best() {
        Trial best = trials.get(0);
        for (Trial t : trials) {
            if (t.meanF1() > best.meanF1() || Double.isNaN(best.meanF1())) {
                best = t;
            }
        }
        return best;
    }

    /**
     * @return the trials from the highest mean validation F1 down (ties by index)
     */
    public List<Trial> ranked() {
        List<Trial> r = new ArrayList<>(trials);
        r.sort(Comparator.comparingDouble((Trial t) -> -t.meanF1())
                .thenComparingInt(Trial::trial));
        return List.copyOf(r);
    }

    /**
     * The trials as CSV: comma-separated, one header line, one line per trial in index order,
     * numbers as {@link Double#toString(double)} (exact round trip), {@code class_weights} as
     * {@code true}/{@code false}. Columns: {@code trial, learning_rate, learning_rate_decay,
     * weight_decay, class_weights, mean_f1, sd_f1, non_finite_runs}, then {@code f1_r<r>_f<v>}
     * for every repetition {@code r} and fold {@code v} (repetition-major).
     *
     * @return the text
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", FIXED_COLUMNS));
        for (int r = 0; r < repetitions; r++) {
            for (int v = 0; v < folds; v++) {
                sb.append(",f1_r").append(r).append("_f").append(v);
            }
        }
        sb.append('\n');
        for (Trial t : trials) {
            HeadSearch.Parameters p = t.parameters();
            sb.append(t.trial()).append(',').append(p.learningRate()).append(',')
                    .append(p.learningRateDecay()).append(',').append(p.weightDecay())
                    .append(',').append(p.classWeights()).append(',').append(t.meanF1())
                    .append(',').append(t.sdF1()).append(',').append(t.nonFiniteRuns());
            for (List<Double> row : t.validationF1()) {
                for (double v : row) {
                    sb.append(',').append(v);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes {@link #toCsv()} (UTF-8), replacing the file.
     *
     * @param file the target
     * @throws IOException if it cannot be written
     */
    public void writeCsv(Path file) throws IOException {
        Files.writeString(Objects.requireNonNull(file, "file"), toCsv(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a file written by {@link #writeCsv(Path)}.
     *
     * @param file the CSV
     * @return the result, equal to the one written
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException as {@link #fromCsv(String, String)}
     */
    public static SearchResult readCsv(Path file) throws IOException {
        return fromCsv(Files.readString(Objects.requireNonNull(file, "file"),
                StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses the text of {@link #toCsv()}. Means and standard deviations are read as written,
     * not recomputed.
     *
     * @param csv the text
     * @param source the file name for messages
     * @return the result
     * @throws IllegalArgumentException if the header is not this format's, a line has the
     *     wrong number of cells or a cell does not parse (the message names source and line)
     */
    public static SearchResult fromCsv(String csv, String source) {
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(source, "source");
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(source + ": empty, no header line");
        }
        String[] header = lines.get(0).split(",", -1);
        int fixed = FIXED_COLUMNS.size();
        if (header.length <= fixed
                || !List.of(header).subList(0, fixed).equals(FIXED_COLUMNS)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s line 1: header must start with %s and name at least one f1 column",
                    source, String.join(",", FIXED_COLUMNS)));
        }
        int reps = 0;
        int folds = 0;
        for (int c = fixed; c < header.length; c++) {
            Matcher m = F1_COLUMN.matcher(header[c]);
            if (!m.matches()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s line 1: column %d is '%s', expected f1_r<r>_f<v>", source, c + 1,
                        header[c]));
            }
            reps = Math.max(reps, Integer.parseInt(m.group(1)) + 1);
            folds = Math.max(folds, Integer.parseInt(m.group(2)) + 1);
        }
        if ((long) reps * folds != header.length - fixed) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s line 1: %d f1 columns do not form a %d x %d table", source,
                    header.length - fixed, reps, folds));
        }
        for (int r = 0, c = fixed; r < reps; r++) {
            for (int v = 0; v < folds; v++, c++) {
                String want = "f1_r" + r + "_f" + v;
                if (!header[c].equals(want)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s line 1: column %d is '%s', expected %s", source, c + 1,
                            header[c], want));
                }
            }
        }
        List<Trial> trials = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s line %d: %d cells, the header has %d", source, i + 1, cells.length,
                        header.length));
            }
            try {
                String cw = cells[4];
                if (!cw.equals("true") && !cw.equals("false")) {
                    throw new IllegalArgumentException("class_weights '" + cw
                            + "' is not true or false");
                }
                HeadSearch.Parameters p = new HeadSearch.Parameters(
                        Double.parseDouble(cells[1]), Double.parseDouble(cells[2]),
                        Double.parseDouble(cells[3]), Boolean.parseBoolean(cw));
                List<List<Double>> f1 = new ArrayList<>(reps);
                for (int r = 0, c = fixed; r < reps; r++) {
                    List<Double> row = new ArrayList<>(folds);
                    for (int v = 0; v < folds; v++, c++) {
                        row.add(Double.parseDouble(cells[c]));
                    }
                    f1.add(row);
                }
                trials.add(new Trial(Integer.parseInt(cells[0]), p, f1,
                        Double.parseDouble(cells[5]), Double.parseDouble(cells[6]),
                        Integer.parseInt(cells[7])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d: %s",
                        source, i + 1, e.getMessage()), e);
            }
        }
        try {
            return new SearchResult(trials, reps, folds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }
}
