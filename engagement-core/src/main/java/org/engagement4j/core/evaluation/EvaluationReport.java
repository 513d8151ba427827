package org.engagement4j.core.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import org.engagement4j.metrics.agreement.PairMean;
import org.engagement4j.metrics.agreement.RaterPair;

/**
 * The evaluation of one or more classifiers, written as the paper's tables: Table 2
 * ({@link PerformanceRecord}), Table 3 and Figure 3 ({@link AgreementRecord}), as CSV and JSON.
 *
 * <p>Numbers are written with {@code Double.toString} (full precision, {@code Locale}-free);
 * an undefined value (an F1 without any positive, a kappa of two constant raters, a set that was
 * not evaluated) is an empty CSV cell and a JSON {@code null}, never NaN.
 *
 * @param performance Table 2 rows
 * @param agreement Table 3 rows (each with its Figure 3 pairs)
 * @since 0.1.0
 */
public record EvaluationReport(List<PerformanceRecord> performance,
        List<AgreementRecord> agreement) {

    /** File names written by {@link #write(Path)}. */
    public static final String TABLE2 = "table2_performance.csv";
    /** Table 3 file name. */
    public static final String TABLE3 = "table3_kappa.csv";
    /** Figure 3 file name. */
    public static final String FIGURE3 = "figure3_pairs.csv";
    /** JSON file name. */
    public static final String JSON = "evaluation.json";

    /** Copies the lists. */
    public EvaluationReport {
        performance = List.copyOf(performance);
        agreement = List.copyOf(agreement);
    }

    /**
     * Table 2 as CSV: {@code task, variable, empirical_probability, validation_accuracy,
     * validation_f1, test_accuracy, test_f1, baseline_accuracy, baseline_f1,
     * validation_accuracy_above, validation_f1_above, test_accuracy_above, test_f1_above,
     * validation_n, test_n, validation_tp, validation_fp, validation_fn, validation_tn, test_tp,
     * test_fp, test_fn, test_tn}.
     *
     * @return the text
     */
    public String table2Csv() {
        StringBuilder sb = new StringBuilder("task,variable,empirical_probability,"
                + "validation_accuracy,validation_f1,test_accuracy,test_f1,baseline_accuracy,"
                + "baseline_f1,validation_accuracy_above,validation_f1_above,"
                + "test_accuracy_above,test_f1_above,validation_n,test_n,validation_tp,"
                + "validation_fp,validation_fn,validation_tn,test_tp,test_fp,test_fn,test_tn\n");
        for (PerformanceRecord r : performance) {
            sb.append(r.task().paperName()).append(',').append(r.variable().paperName())
                    .append(',').append(r.empiricalProbability())
                    .append(',').append(cell(r.validationAccuracy()))
                    .append(',').append(cell(r.validationF1()))
                    .append(',').append(cell(r.testAccuracy()))
                    .append(',').append(cell(r.testF1()))
                    .append(',').append(r.baseline().accuracy())
                    .append(',').append(r.baseline().f1())
                    .append(',').append(r.validationAccuracyAboveBaseline())
                    .append(',').append(r.validationF1AboveBaseline())
                    .append(',').append(r.testAccuracyAboveBaseline())
                    .append(',').append(r.testF1AboveBaseline())
                    .append(',').append(r.validation().map(c -> Long.toString(c.total())).orElse(""))
                    .append(',').append(r.test().map(c -> Long.toString(c.total())).orElse(""));
            counts(sb, r.validation());
            counts(sb, r.test());
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Table 3 as CSV: {@code task, variable, windows, human_kappa, human_pairs,
     * human_undefined_pairs, machine_kappa, machine_pairs, machine_undefined_pairs,
     * human_agreement, machine_agreement}.
     *
     * @return the text
     */
    public String table3Csv() {
        StringBuilder sb = new StringBuilder("task,variable,windows,human_kappa,human_pairs,"
                + "human_undefined_pairs,machine_kappa,machine_pairs,machine_undefined_pairs,"
                + "human_agreement,machine_agreement\n");
        for (AgreementRecord a : agreement) {
            PairMean hh = a.humanHumanKappa();
            PairMean hm = a.humanMachineKappa();
            sb.append(a.task().paperName()).append(',').append(a.variable().paperName())
                    .append(',').append(a.windows())
                    .append(',').append(cell(hh.mean())).append(',').append(hh.definedPairs())
                    .append(',').append(hh.undefinedPairs())
                    .append(',').append(cell(hm.mean())).append(',').append(hm.definedPairs())
                    .append(',').append(hm.undefinedPairs())
                    .append(',').append(cell(a.humanHumanAgreement().mean()))
                    .append(',').append(cell(a.humanMachineAgreement().mean())).append('\n');
        }
        return sb.toString();
    }

    /**
     * Figure 3 as CSV, one line per unordered rater pair: {@code task, variable, rater_a,
     * rater_b, rows, agreement, kappa, kappa_low, kappa_high}.
     *
     * @return the text
     */
    public String figure3Csv() {
        StringBuilder sb = new StringBuilder(
                "task,variable,rater_a,rater_b,rows,agreement,kappa,kappa_low,kappa_high\n");
        for (AgreementRecord a : agreement) {
            for (RaterPair p : a.raters().pairs()) {
                sb.append(a.task().paperName()).append(',').append(a.variable().paperName())
                        .append(',').append(p.first()).append(',').append(p.second())
                        .append(',').append(p.rows()).append(',').append(cell(p.agreement()))
                        .append(',').append(cell(p.kappaValue()))
                        .append(',').append(p.kappa().map(k -> Double.toString(k.kappaLow()))
                                .orElse(""))
                        .append(',').append(p.kappa().map(k -> Double.toString(k.kappaUpp()))
                                .orElse("")).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Everything as one JSON object: {@code performance} (Table 2 rows with their confusion
     * counts and baselines) and {@code agreement} (Table 3 rows, each with its {@code pairs}).
     *
     * @return the JSON text, indented
     */
    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode perf = root.putArray("performance");
        for (PerformanceRecord r : performance) {
            ObjectNode o = perf.addObject();
            o.put("task", r.task().paperName());
            o.put("variable", r.variable().paperName());
            o.put("empirical_probability", r.empiricalProbability());
            o.put("baseline_accuracy", r.baseline().accuracy());
            o.put("baseline_f1", r.baseline().f1());
            split(o.putObject("validation"), r.validation(), r.validationAccuracyAboveBaseline(),
                    r.validationF1AboveBaseline());
            split(o.putObject("test"), r.test(), r.testAccuracyAboveBaseline(),
                    r.testF1AboveBaseline());
        }
        ArrayNode agr = root.putArray("agreement");
        for (AgreementRecord a : agreement) {
            ObjectNode o = agr.addObject();
            o.put("task", a.task().paperName());
            o.put("variable", a.variable().paperName());
            o.put("windows", a.windows());
            ArrayNode h = o.putArray("humans");
            a.humans().forEach(h::add);
            o.put("machine", a.machineName());
            num(o, "human_kappa", a.humanHumanKappa().mean());
            num(o, "machine_kappa", a.humanMachineKappa().mean());
            num(o, "human_agreement", a.humanHumanAgreement().mean());
            num(o, "machine_agreement", a.humanMachineAgreement().mean());
            ArrayNode pairs = o.putArray("pairs");
            for (RaterPair p : a.raters().pairs()) {
                ObjectNode q = pairs.addObject();
                q.put("rater_a", p.first());
                q.put("rater_b", p.second());
                q.put("rows", p.rows());
                num(q, "agreement", p.agreement());
                num(q, "kappa", p.kappaValue());
            }
        }
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree of numbers and strings always"
                    + " serialises", e);
        }
    }

    /**
     * Writes {@link #TABLE2}, {@link #TABLE3}, {@link #FIGURE3} and {@link #JSON} into a folder
     * (created if missing), replacing them.
     *
     * @param dir the folder
     * @throws IOException if a file cannot be written
     */
    public void write(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(TABLE2), table2Csv(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(TABLE3), table3Csv(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(FIGURE3), figure3Csv(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(JSON), toJson() + "\n", StandardCharsets.UTF_8);
    }

    private static void split(ObjectNode o, Optional<ConfusionMatrix> c, boolean accAbove,
            boolean f1Above) {
        if (c.isEmpty()) {
            o.putNull("accuracy");
            o.putNull("f1");
            return;
        }
        ConfusionMatrix m = c.get();
        o.put("accuracy", m.accuracy());
        num(o, "f1", m.f1());
        o.put("accuracy_above_baseline", accAbove);
        o.put("f1_above_baseline", f1Above);
        o.put("tp", m.truePositives());
        o.put("fp", m.falsePositives());
        o.put("fn", m.falseNegatives());
        o.put("tn", m.trueNegatives());
    }

    private static void num(ObjectNode o, String key, OptionalDouble v) {
        if (v.isPresent()) {
            o.put(key, v.getAsDouble());
        } else {
            o.putNull(key);
        }
    }

    private static void counts(StringBuilder sb, Optional<ConfusionMatrix> c) {
        if (c.isEmpty()) {
            sb.append(",,,,");
            return;
        }
        ConfusionMatrix m = c.get();
        sb.append(',').append(m.truePositives()).append(',').append(m.falsePositives())
                .append(',').append(m.falseNegatives()).append(',').append(m.trueNegatives());
    }

    private static String cell(OptionalDouble v) {
        return v.isPresent() ? Double.toString(v.getAsDouble()) : "";
    }
}
