package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.evaluation.AgreementRecord;
import org.engagement4j.core.evaluation.EvaluationReport;
import org.engagement4j.core.evaluation.PerformanceRecord;
import org.engagement4j.examples.render.BarChartPng;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import org.engagement4j.metrics.agreement.RaterMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationFiguresTest {

    private static EvaluationReport report(long testTp, int[] machine) {
        PerformanceRecord r1 = new PerformanceRecord(Task.DOLLS, Variable.SOCIAL_ENGAGEMENT, 0.4,
                Optional.of(ConfusionMatrix.ofCounts(30, 10, 10, 50)),
                Optional.of(ConfusionMatrix.ofCounts(testTp, 5, 5, 40)));
        PerformanceRecord r2 = new PerformanceRecord(Task.DRUM, Variable.TASK_ENGAGEMENT, 0.7,
                Optional.empty(), Optional.of(ConfusionMatrix.ofCounts(20, 20, 10, 10)));
        Map<String, int[]> labels = new LinkedHashMap<>();
        labels.put("a", new int[] {1, 1, 0, 0, 1, 0, 1, 0});
        labels.put("b", new int[] {1, 0, 0, 0, 1, 0, 1, 1});
        labels.put(AgreementRecord.MACHINE, machine);
        AgreementRecord ag = new AgreementRecord(Task.DOLLS, Variable.SOCIAL_ENGAGEMENT, 8,
                List.of("a", "b"), AgreementRecord.MACHINE, RaterMatrix.of(labels));
        return new EvaluationReport(List.of(r1, r2), List.of(ag));
    }

    @Test
    void figuresDecodeHaveTheExpectedSizeAndFollowTheData(@TempDir Path dir) throws Exception {
        EvaluationReport one = report(10, new int[] {1, 1, 0, 0, 1, 0, 1, 0});
        EvaluationReport two = report(40, new int[] {0, 0, 1, 1, 0, 1, 0, 1});
        List<Path> a = EvaluationFigures.write(one, dir.resolve("one"));
        List<Path> b = EvaluationFigures.write(two, dir.resolve("two"));
        assertEquals(List.of(EvaluationFigures.TABLE2, EvaluationFigures.TABLE3,
                EvaluationFigures.FIGURE3), a.stream().map(p -> p.getFileName().toString())
                .toList());
        BufferedImage t2 = ImageIO.read(a.get(0).toFile());
        assertEquals(BarChartPng.LEFT + 2 * BarChartPng.GROUP_W + BarChartPng.RIGHT,
                t2.getWidth());
        assertEquals(2 * BarChartPng.CHART_H, t2.getHeight(), "accuracy and F1 charts");
        BufferedImage t3 = ImageIO.read(a.get(1).toFile());
        assertEquals(BarChartPng.CHART_H, t3.getHeight());
        BufferedImage f3 = ImageIO.read(a.get(2).toFile());
        assertTrue(f3.getWidth() > 3 * 84 && f3.getHeight() > 3 * 84, "a 3 x 3 matrix");
        for (int i = 0; i < 3; i++) {
            BufferedImage x = ImageIO.read(a.get(i).toFile());
            BufferedImage y = ImageIO.read(b.get(i).toFile());
            assertEquals(x.getWidth(), y.getWidth());
            assertFalse(Arrays.equals(pixels(x), pixels(y)), a.get(i) + " ignores the data");
        }
        // The test accuracy bar of dolls follows its value: (tp + 40) / (tp + 50).
        List<BarChartPng.Chart> c1 = EvaluationFigures.table2(one.performance());
        List<BarChartPng.Chart> c2 = EvaluationFigures.table2(two.performance());
        assertEquals(50.0 / 60, c1.get(0).values()[1][0], 1e-12);
        assertEquals(80.0 / 90, c2.get(0).values()[1][0], 1e-12);
        assertEquals(0.7, c1.get(0).values()[2][1], 1e-12, "random baseline max(q, 1-q)");
        assertTrue(Double.isNaN(c1.get(0).values()[0][1]), "no validation for drum");
        // Figure 3: humans then the machine, the machine last.
        assertEquals(List.of("a", "b", "machine"), EvaluationFigures.figure3(one.agreement())
                .get(0).labels());
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
