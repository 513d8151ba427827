package org.engagement4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.engagement4j.core.evaluation.AgreementRecord;
import org.engagement4j.core.evaluation.EvaluationReport;
import org.engagement4j.core.evaluation.PerformanceRecord;
import org.engagement4j.examples.render.BarChartPng;
import org.engagement4j.examples.render.HeatmapPng;

/**
 * The figures of {@code engagement evaluate --figures DIR}: Table 2 as bar charts (accuracy and
 * F1 of each classifier on validation and test next to the random baselines), Table 3 as a bar
 * chart (mean human-human and human-machine kappa), and Figure 3 as kappa matrices (every rater
 * pair, the machine included), one panel per classifier.
 */
final class EvaluationFigures {

    /** Table 2: accuracy and F1 against the random baselines. */
    static final String TABLE2 = "table2_performance.png";
    /** Table 3: mean kappa, human-human and human-machine. */
    static final String TABLE3 = "table3_kappa.png";
    /** Figure 3: the kappa matrix of every classifier. */
    static final String FIGURE3 = "figure3_kappa.png";

    private EvaluationFigures() {
    }

    /**
     * Writes the figures (each atomically) into {@code dir}, creating it; Table 3 and Figure 3
     * only when the report has agreement records.
     *
     * @return the files written
     */
    static List<Path> write(EvaluationReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        if (!report.performance().isEmpty()) {
            Path t2 = dir.resolve(TABLE2);
            BarChartPng.write(t2, table2(report.performance()));
            written.add(t2);
        }
        if (!report.agreement().isEmpty()) {
            Path t3 = dir.resolve(TABLE3);
            BarChartPng.write(t3, List.of(table3(report.agreement())));
            written.add(t3);
            Path f3 = dir.resolve(FIGURE3);
            HeatmapPng.write(f3, figure3(report.agreement()));
            written.add(f3);
        }
        return written;
    }

    static List<BarChartPng.Chart> table2(List<PerformanceRecord> rows) {
        List<String> groups = new ArrayList<>();
        int n = rows.size();
        double[][] acc = new double[3][n];
        double[][] f1 = new double[3][n];
        for (int i = 0; i < n; i++) {
            PerformanceRecord r = rows.get(i);
            groups.add(r.task().paperName() + "\n" + r.variable().paperName());
            acc[0][i] = nan(r.validationAccuracy());
            acc[1][i] = nan(r.testAccuracy());
            acc[2][i] = r.baseline().accuracy();
            f1[0][i] = nan(r.validationF1());
            f1[1][i] = nan(r.testF1());
            f1[2][i] = r.baseline().f1();
        }
        List<String> series = List.of("validation", "test", "random baseline");
        return List.of(new BarChartPng.Chart("Accuracy (Table 2)", groups, series, acc, 0, 1),
                new BarChartPng.Chart("F1 (Table 2)", groups, series, f1, 0, 1));
    }

    static BarChartPng.Chart table3(List<AgreementRecord> rows) {
        List<String> groups = new ArrayList<>();
        double[][] kappa = new double[2][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            AgreementRecord a = rows.get(i);
            groups.add(a.task().paperName() + "\n" + a.variable().paperName());
            kappa[0][i] = nan(a.humanHumanKappa().mean());
            kappa[1][i] = nan(a.humanMachineKappa().mean());
        }
        return new BarChartPng.Chart("Mean Cohen's kappa on the test windows (Table 3)", groups,
                List.of("human-human", "human-machine"), kappa, -1, 1);
    }

    static List<HeatmapPng.Panel> figure3(List<AgreementRecord> rows) {
        List<HeatmapPng.Panel> panels = new ArrayList<>();
        for (AgreementRecord a : rows) {
            panels.add(new HeatmapPng.Panel(a.task().paperName() + " / "
                    + a.variable().paperName(), a.raters().raters(), a.raters().kappaMatrix(), 0,
                    1));
        }
        return panels;
    }

    private static double nan(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : Double.NaN;
    }
}
