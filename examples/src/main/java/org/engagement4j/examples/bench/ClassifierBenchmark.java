package org.engagement4j.examples.bench;

import static org.engagement4j.examples.bench.BenchStats.format;
import static org.engagement4j.examples.bench.BenchStats.loadAverage;
import static org.engagement4j.examples.bench.BenchStats.median;
import static org.engagement4j.examples.bench.BenchStats.min;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.engagement4j.core.graph.Conv3dLowering;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;

/**
 * ONNX Runtime (through {@link EngagementClassifier}) against PyTorch on the paper's classifier
 * forward pass, mc3_18 with a two-class head on {@code [N, 3, 15, 160, 160]}, for N = 1 and 8, in
 * one run and with the same number of threads on both sides.
 *
 * <p>The PyTorch side is {@code tools/bench/torch_forward.py} run by {@code /usr/bin/python3}
 * (Debian's torch 1.13 with oneDNN): it builds torchvision's own model and exports it with
 * {@code torch.onnx.export}. The ONNX Runtime side runs, with several session configurations,
 * the model built in Java by {@link Mc3Graph} (seeded random weights) and torch's export. Weights
 * do not change the time of a dense forward pass, so the two sides may use different ones.
 *
 * <p>The torch script stays running ({@code --serve}) and answers one forward pass per request,
 * so the calls are interleaved round robin: after one untimed warm-up call each, every round
 * makes one torch call and one call of each ONNX Runtime session. A change of the machine's load
 * then hits every participant alike (on a shared machine the absolute times move a lot, the
 * ratios much less). Medians and minima are reported (the minimum estimates the time on an idle
 * machine); the ratios are torch's over ONNX Runtime's (above 1: ONNX Runtime is faster).
 *
 * <p>Usage: {@code ClassifierBenchmark [key=value ...]} with keys {@code threads} (2),
 * {@code reps1} (5) and {@code reps8} (3) timed rounds, {@code batches} (1,8), {@code configs}
 * (all, or a comma-separated list of the names printed), {@code models} (java,torch),
 * {@code python} ({@code /usr/bin/python3}), {@code script} ({@code tools/bench/torch_forward.py},
 * relative to the working directory), {@code torch} (true; false times ONNX Runtime alone on the
 * Java-built model).
 */
public final class ClassifierBenchmark {

    private ClassifierBenchmark() {
    }

    /** One ONNX Runtime session configuration; {@code model} rewrites the model bytes first. */
    private record Config(String name, String about,
            UnaryOperator<EngagementClassifier.Builder> apply, UnaryOperator<byte[]> model) {

        Config(String name, String about, UnaryOperator<EngagementClassifier.Builder> apply) {
            this(name, about, apply, UnaryOperator.identity());
        }
    }

    /** One ONNX Runtime session under test. */
    private record Entry(String name, EngagementClassifier classifier) {
    }

    private static List<Config> configs(int threads) {
        List<Config> c = new ArrayList<>();
        c.add(new Config("default", "all graph optimisations, arena, memory pattern, spinning;"
                + " 3-D convolutions lowered to 2-D (Conv3dLowering, temporal kernels by CONCAT)",
                b -> b));
        c.add(new Config("unlowered", "default without the 2-D lowering (lowerConv3d(false))",
                b -> b.lowerConv3d(false)));
        c.add(new Config("lowered-keep3d", "2-D lowering with the temporal kernels left 3-D"
                + " (Conv3dLowering.Temporal.KEEP_3D)", b -> b.lowerConv3d(false),
                bytes -> OnnxModels.toBytes(Conv3dLowering.defaults()
                        .withTemporal(Conv3dLowering.Temporal.KEEP_3D)
                        .apply(OnnxModels.parse(bytes, "bench model")))));
        c.add(new Config("no-spin", "session.intra_op.allow_spinning = 0",
                b -> b.sessionConfig("session.intra_op.allow_spinning", "0")));
        c.add(new Config("extended", "graph optimisation EXTENDED (no layout transformation)",
                b -> b.optimization(EngagementClassifier.Optimization.EXTENDED)));
        c.add(new Config("basic", "graph optimisation BASIC",
                b -> b.optimization(EngagementClassifier.Optimization.BASIC)));
        c.add(new Config("no-arena", "CPU arena and memory pattern off",
                b -> b.cpuArena(false).memoryPattern(false)));
        c.add(new Config("denormal-zero", "session.set_denormal_as_zero = 1",
                b -> b.sessionConfig("session.set_denormal_as_zero", "1")));
        if (threads > 1) {
            // The extra intra-op threads pinned to logical processors 2, 3, ... (1-based, ONNX
            // Runtime's convention); the calling thread stays unpinned.
            StringBuilder aff = new StringBuilder();
            for (int t = 2; t <= threads; t++) {
                aff.append(aff.length() == 0 ? "" : ";").append(t);
            }
            String a = aff.toString();
            c.add(new Config("pinned", "session.intra_op_thread_affinities = " + a,
                    b -> b.sessionConfig("session.intra_op_thread_affinities", a)));
        }
        return c;
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
        o.put("reps1", "5");
        o.put("reps8", "3");
        o.put("batches", "1,8");
        o.put("configs", "all");
        o.put("models", "java,torch");
        o.put("python", "/usr/bin/python3");
        o.put("script", "tools/bench/torch_forward.py");
        o.put("torch", "true");
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1 || !o.containsKey(a.substring(0, eq))) {
                throw new IllegalArgumentException("unknown option " + a + "; expected key=value"
                        + " with a key of " + o.keySet());
            }
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        run(o, out);
    }

    /**
     * Runs the benchmark.
     *
     * @param o the options (see the class description), all present
     * @param out where the report goes
     * @return per batch size, the best ratio torch / ONNX Runtime over the sessions (empty
     *     without torch)
     * @throws Exception if a model cannot be built or run, or python fails
     */
    public static Map<Integer, Double> run(Map<String, String> o, PrintWriter out)
            throws Exception {
        int threads = Integer.parseInt(o.get("threads"));
        int[] batches = Arrays.stream(o.get("batches").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        boolean torch = Boolean.parseBoolean(o.get("torch"));
        List<String> models = List.of(o.get("models").split(","));
        out.printf(Locale.ROOT, "mc3_18 (2 classes) forward on [N, 3, 15, 160, 160], %d threads;"
                + " %d processors visible; load average %s%n", threads,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        Path dir = Files.createTempDirectory("classifier-bench");
        Path torchModel = dir.resolve("mc3_torch.onnx");
        TorchProcess server = null;
        List<Entry> entries = new ArrayList<>();
        try {
            if (torch) {
                List<String> cmd = new ArrayList<>(List.of(o.get("python"), o.get("script"),
                        "--threads", Integer.toString(threads), "--serve"));
                if (models.contains("torch")) {
                    cmd.addAll(List.of("--export", torchModel.toString()));
                }
                server = TorchProcess.start(cmd);
                out.println("torch " + server.info());
            }
            Map<String, byte[]> graphs = new LinkedHashMap<>();
            if (models.contains("java")) {
                long t0 = System.nanoTime();
                graphs.put("java-built", OnnxModels.toBytes(Mc3Graph.random(
                        Mc3Architecture.mc3_18(2), 2022)));
                out.printf(Locale.ROOT, "built mc3_18 in Java in %.1f s%n",
                        (System.nanoTime() - t0) / 1e9);
            }
            if (server != null && models.contains("torch")) {
                graphs.put("torch-export", Files.readAllBytes(torchModel));
            }
            List<Config> chosen = new ArrayList<>();
            for (Config c : configs(threads)) {
                if ("all".equals(o.get("configs"))
                        || List.of(o.get("configs").split(",")).contains(c.name())) {
                    chosen.add(c);
                }
            }
            for (Map.Entry<String, byte[]> g : graphs.entrySet()) {
                for (Config c : chosen) {
                    EngagementClassifier.Builder builder = EngagementClassifier.builder()
                            .model(c.model().apply(g.getValue())).intraOpThreads(threads).interOpThreads(1)
                            .exposeEmbedding(false);
                    entries.add(new Entry(g.getKey() + " " + c.name(),
                            c.apply().apply(builder).build()));
                }
            }
            SplittableRandom rng = new SplittableRandom(7);
            Map<Integer, Double> best = new LinkedHashMap<>();
            for (int b : batches) {
                float[] x = new float[b * 3 * 15 * 160 * 160];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (rng.nextDouble() * 4 - 2);
                }
                ClipBatch input = ClipBatch.of(x, b, 3, 15, 160, 160);
                int reps = Integer.parseInt(b == 1 ? o.get("reps1") : o.get("reps8"));
                double[] torchMs = new double[reps];
                double[][] ortMs = new double[entries.size()][reps];
                if (server != null) {
                    server.time("time " + b);
                }
                for (Entry e : entries) {
                    e.classifier().logits(input);
                }
                for (int r = 0; r < reps; r++) {
                    if (server != null) {
                        torchMs[r] = server.time("time " + b);
                    }
                    for (int k = 0; k < entries.size(); k++) {
                        long t0 = System.nanoTime();
                        entries.get(k).classifier().logits(input);
                        ortMs[k][r] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                double t = median(torchMs);
                double tMin = min(torchMs);
                if (server != null) {
                    out.printf(Locale.ROOT, "batch %d  torch                         median %8.1f"
                            + " ms, min %8.1f ms  (calls %s)%n", b, t, tMin, format(torchMs));
                }
                for (int k = 0; k < entries.size(); k++) {
                    double m = median(ortMs[k]);
                    double mMin = min(ortMs[k]);
                    out.printf(Locale.ROOT, "batch %d  ORT %-25s median %8.1f ms, min %8.1f ms%s"
                            + "  (calls %s)%n", b, entries.get(k).name(), m, mMin,
                            server == null ? "" : String.format(Locale.ROOT,
                                    "  torch/ORT median %.2f, min %.2f", t / m, tMin / mMin),
                            format(ortMs[k]));
                    if (server != null) {
                        best.merge(b, t / m, Math::max);
                    }
                }
            }
            for (Config c : chosen) {
                out.printf(Locale.ROOT, "  %-13s %s%n", c.name(), c.about());
            }
            for (Map.Entry<Integer, Double> e : best.entrySet()) {
                out.printf(Locale.ROOT, "batch %d: best torch/ORT ratio %.2f (goal >= 0.90)%n",
                        e.getKey(), e.getValue());
            }
            out.printf(Locale.ROOT, "load average at the end %s%n", loadAverage());
            out.flush();
            return best;
        } finally {
            for (Entry e : entries) {
                e.classifier().close();
            }
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(torchModel);
            Files.deleteIfExists(dir);
        }
    }
}
