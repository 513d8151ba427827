package org.engagement4j.examples.bench;

import static org.engagement4j.examples.bench.BenchStats.format;
import static org.engagement4j.examples.bench.BenchStats.loadAverage;
import static org.engagement4j.examples.bench.BenchStats.median;
import static org.engagement4j.examples.bench.BenchStats.min;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.xai.attention.AttentionExplainer;
import org.engagement4j.xai.attention.AttentionMethod;
import org.engagement4j.xai.attention.Explanation;
import org.engagement4j.xai.attention.Target;

/**
 * The paper's four attention maps (gradient saliency, guided backpropagation, Grad-CAM, guided
 * Grad-CAM) for both targets of one {@code 1 x 3 x 15 x 160 x 160} clip of mc3_18 with a
 * two-class head: {@link AttentionExplainer} (backward graph on ONNX Runtime) against PyTorch
 * autograd, in one run and with the same number of threads on both sides.
 *
 * <p>The PyTorch side is {@code tools/bench/torch_attention.py} run by {@code /usr/bin/python3}
 * (Debian's torch 1.13): torchvision's own mc3_18, two forwards (plain with the Grad-CAM layer
 * kept, guided) and four backwards (each target on each), which is what an efficient autograd
 * user writes; ours runs one forward and one backward graph that carries both targets and both
 * chains (plain and guided) as one batch. Weights differ (seeded random on both sides); they do
 * not change the time of dense convolutions.
 *
 * <p>The calls are interleaved round robin with the torch script kept running ({@code --serve}):
 * after one untimed warm-up of each, every round times torch's maps, torch's forward pass, our
 * maps and our forward pass (ONNX Runtime through {@link EngagementClassifier}), so a change of
 * the machine's load hits everyone alike. Medians are reported; "forward-pass units" divide each
 * side's map time by its own forward time; the ratio is torch's median over ours (above 1: ours
 * is faster).
 *
 * <p>Usage: {@code AttentionBenchmark [key=value ...]} with keys {@code threads} (2),
 * {@code reps} (3), {@code frames} (15), {@code size} (160), {@code python}
 * ({@code /usr/bin/python3}), {@code script} ({@code tools/bench/torch_attention.py}, relative to
 * the working directory), {@code torch} (true; false times our side alone).
 */
public final class AttentionBenchmark {

    private AttentionBenchmark() {
    }

    /**
     * Entry point.
     *
     * @param args {@code key=value} options (see the class description)
     * @throws Exception if a model cannot be built or run, or python fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("threads", "2");
        o.put("reps", "3");
        o.put("frames", "15");
        o.put("size", "160");
        o.put("python", "/usr/bin/python3");
        o.put("script", "tools/bench/torch_attention.py");
        o.put("torch", "true");
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1 || !o.containsKey(a.substring(0, eq))) {
                throw new IllegalArgumentException("unknown option " + a + "; expected key=value"
                        + " with a key of " + o.keySet());
            }
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        run(o, new PrintWriter(System.out, true, StandardCharsets.UTF_8));
    }

    /**
     * Runs the benchmark.
     *
     * @param o the options (see the class description), all present
     * @param out where the report goes
     * @return torch's median map time over ours, or NaN without torch
     * @throws Exception if a model cannot be built or run, or python fails
     */
    public static double run(Map<String, String> o, PrintWriter out) throws Exception {
        int threads = Integer.parseInt(o.get("threads"));
        int reps = Integer.parseInt(o.get("reps"));
        int frames = Integer.parseInt(o.get("frames"));
        int size = Integer.parseInt(o.get("size"));
        boolean torch = Boolean.parseBoolean(o.get("torch"));
        out.printf(Locale.ROOT, "mc3_18 (2 classes), four maps x two targets of [1, 3, %d, %d, %d],"
                + " %d threads; %d processors visible; load average %s%n", frames, size, size,
                threads, Runtime.getRuntime().availableProcessors(), loadAverage());
        EnumSet<AttentionMethod> methods = EnumSet.of(AttentionMethod.GRADIENT_SALIENCY,
                AttentionMethod.GUIDED_BACKPROP, AttentionMethod.GRAD_CAM,
                AttentionMethod.GUIDED_GRAD_CAM);
        long t0 = System.nanoTime();
        byte[] model = OnnxModels.toBytes(Mc3Graph.random(Mc3Architecture.mc3_18(2)
                .withInputSize(size, size), 2022));
        out.printf(Locale.ROOT, "built mc3_18 in Java in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        SplittableRandom rng = new SplittableRandom(7);
        float[] x = new float[3 * frames * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        ClipTensor clip = ClipTensor.of(x, 3, frames, size, size);
        TorchProcess server = null;
        t0 = System.nanoTime();
        try (AttentionExplainer explainer = AttentionExplainer.builder().model(model)
                .methods(methods).intraOpThreads(threads).build();
                EngagementClassifier forward = EngagementClassifier.builder().model(model)
                        .intraOpThreads(threads).interOpThreads(1).exposeEmbedding(false)
                        .build()) {
            out.printf(Locale.ROOT, "backward graph built and both sessions opened in %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
            if (torch) {
                server = TorchProcess.start(List.of(o.get("python"), o.get("script"),
                        "--threads", Integer.toString(threads), "--frames",
                        Integer.toString(frames), "--size", Integer.toString(size), "--serve"));
                out.println("torch " + server.info());
                server.time("maps");
                server.time("forward");
            }
            ClipBatch one = ClipBatch.of(clip);
            t0 = System.nanoTime();
            Explanation e = explainer.explain(clip, methods, EnumSet.allOf(Target.class));
            double firstMs = (System.nanoTime() - t0) / 1e6;
            forward.logits(one);
            out.printf(Locale.ROOT, "ours: first explain %.0f ms (warm-up), %d maps, p(positive)"
                    + " %.4f%n", firstMs, e.maps().size(), e.probabilities()[1]);
            double[] tMaps = new double[reps];
            double[] tFwd = new double[reps];
            double[] oMaps = new double[reps];
            double[] oFwd = new double[reps];
            for (int r = 0; r < reps; r++) {
                if (server != null) {
                    tMaps[r] = server.time("maps");
                    tFwd[r] = server.time("forward");
                }
                t0 = System.nanoTime();
                explainer.explain(clip, methods, EnumSet.allOf(Target.class));
                oMaps[r] = (System.nanoTime() - t0) / 1e6;
                t0 = System.nanoTime();
                forward.logits(one);
                oFwd[r] = (System.nanoTime() - t0) / 1e6;
            }
            double om = median(oMaps);
            double of = median(oFwd);
            line(out, "ours  maps   ", oMaps);
            line(out, "ours  forward", oFwd);
            out.printf(Locale.ROOT, "ours  cost %.2f forward-pass units (medians; mins %.2f): 1"
                    + " forward + a backward graph of 2 chains x 2 targets%n", om / of,
                    min(oMaps) / min(oFwd));
            double ratio = Double.NaN;
            if (server != null) {
                double tm = median(tMaps);
                double tf = median(tFwd);
                line(out, "torch maps   ", tMaps);
                line(out, "torch forward", tFwd);
                out.printf(Locale.ROOT, "torch cost %.2f forward-pass units (medians; mins %.2f):"
                        + " 2 forwards + 4 backwards%n", tm / tf, min(tMaps) / min(tFwd));
                ratio = tm / om;
                out.printf(Locale.ROOT, "torch / ours, maps: median %.2f, min %.2f (goal >= 1.0);"
                        + " forward alone: median %.2f, min %.2f%n", ratio,
                        min(tMaps) / min(oMaps), tf / of, min(tFwd) / min(oFwd));
            }
            out.printf(Locale.ROOT, "load average at the end %s%n", loadAverage());
            out.flush();
            return ratio;
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static void line(PrintWriter out, String what, double[] v) {
        out.printf(Locale.ROOT, "%s median %8.1f ms, min %8.1f ms (calls %s)%n", what, median(v),
                min(v), format(v));
    }
}
