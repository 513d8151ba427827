package org.engagement4j.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.GraphBuilder;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.SnippetEncoder;
import org.engagement4j.core.sampling.Snippet;
import org.engagement4j.core.training.ClipSource;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import org.junit.jupiter.api.Test;

/** The machine label is the argmax of the two logits, not the reference's {@code score > 0}. */
class ModelEvaluatorTest {

    /** logits = [-2, (mean R + mean G + mean B) - 1] of the normalised clip. */
    static byte[] meanModel() {
        GraphBuilder g = GraphBuilder.named("mean").opset(17);
        g.input("x", Dim.symbolic("N"), Dim.of(3), Dim.symbolic("T"), Dim.symbolic("H"),
                Dim.symbolic("W"));
        g.initializer("w", new float[] {0, 0, 0, 1, 1, 1}, 2, 3);
        g.initializer("b", new float[] {-2, -1}, 2);
        g.node("GlobalAveragePool", "/pool", List.of("x"), List.of("p"), Attributes.none());
        g.node("Flatten", "/flat", List.of("p"), List.of("f"),
                Attributes.none().withInt("axis", 1));
        g.node("Gemm", "/fc", List.of("f", "w", "b"), List.of("logits"),
                Attributes.none().withInt("transB", 1));
        g.output("logits", Dim.symbolic("N"), Dim.of(2));
        return OnnxModels.toBytes(g.build());
    }

    @Test
    void labelsAreTheArgmaxEvenWhenBothLogitsAreNegative() throws Exception {
        // Frames 0-19 grey 110, 20-39 grey 90, 40-59 grey 200. With mean 128 and std 64 the
        // channel-mean sum is -0.84, -1.78 and 3.38: logits [-2, -1.84], [-2, -2.78], [-2, 2.38].
        int h = 8;
        int w = 8;
        byte[] rgb = new byte[60 * h * w * 3];
        for (int t = 0; t < 60; t++) {
            byte v = (byte) (t < 20 ? 110 : t < 40 ? 90 : 200);
            java.util.Arrays.fill(rgb, t * h * w * 3, (t + 1) * h * w * 3, v);
        }
        Clip clip = Clip.of(rgb, 60, h, w, 3.125);
        Normalization norm = Normalization.of(new double[] {128, 128, 128},
                new double[] {64, 64, 64});
        ModelEvaluator ev = ModelEvaluator.of(norm)
                .withEncoder(SnippetEncoder.of(norm).withCropSize(8)).withBatchSize(2);
        List<Snippet> snippets = new ArrayList<>();
        int[] starts = {0, 3, 20, 22, 40, 45};
        boolean[] labels = {true, false, false, false, true, true};
        for (int i = 0; i < starts.length; i++) {
            Map<Variable, Boolean> l = new EnumMap<>(Variable.class);
            Map<Variable, Long> e = new EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                l.put(v, labels[i]);
                e.put(v, labels[i] ? 5000L : 0L);
            }
            snippets.add(new Snippet("s", "A", Task.DOLLS, i, starts[i] * 320L, starts[i], 15,
                    5000, l, e));
        }
        List<long[]> reports = new ArrayList<>();
        try (EngagementClassifier m = EngagementClassifier.builder().model(meanModel())
                .intraOpThreads(1).build()) {
            int[] pred = ev.predictSnippets(m, snippets, ClipSource.of(Map.of("s", clip)),
                    (done, total) -> reports.add(new long[] {done, total}));
            // Frames 3-17 and 0-14 are grey 110 (label 1 by argmax; "score > 0" would say 0);
            // frames 20-34 and 22-36 are 90 (0); 40-54 and 45-59 are 200 (1).
            assertArrayEquals(new int[] {1, 1, 0, 0, 1, 1}, pred);
            assertEquals(4, reports.size());
            assertArrayEquals(new long[] {6, 6}, reports.get(3));
            ConfusionMatrix c = ModelEvaluator.confusion(snippets, Variable.TASK_ENGAGEMENT, pred);
            assertEquals(ConfusionMatrix.ofCounts(3, 1, 0, 2), c);

            Snippet outside = new Snippet("s", "A", Task.DOLLS, 9, 50 * 320L, 50, 15, 5000,
                    snippets.get(0).labels(), snippets.get(0).engagedMs());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ev.predictSnippets(m, List.of(outside),
                            ClipSource.of(Map.of("s", clip)), ProgressListener.NONE));
            assertTrue(e.getMessage().contains("snippet 9 of session s"), e.getMessage());
        }
    }
}
