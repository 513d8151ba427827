package org.engagement4j.examples.bench;

import static org.engagement4j.examples.bench.BenchStats.format;
import static org.engagement4j.examples.bench.BenchStats.median;
import static org.engagement4j.examples.bench.BenchStats.min;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.quant.Int8Quantizer;
import org.engagement4j.core.graph.quant.QuantizationReport;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/**
 * Float32 against int8 (QDQ, {@link Int8Quantizer}) ONNX Runtime on the mc3_18 forward pass
 * {@code [batch, 3, frames, size, size]}, with the same thread count, calls interleaved round robin;
 * optionally PyTorch fp32 through {@code tools/bench/torch_forward.py --serve}, interleaved too. Also prints the accuracy report of the int8 model on held-out N(0, 1) clips and the
 * operators ONNX Runtime's optimiser leaves in the int8 graph (does it fuse to QLinearConv?).
 *
 * <p>Usage: {@code QuantizedBenchmark [key=value ...]}: {@code threads} (2), {@code reps} (5),
 * {@code batch} (1), {@code frames} (15), {@code size} (160), {@code width} (64), {@code calib} (4
 * clips), {@code heldout} (4 clips), {@code torch} (true), {@code python} ({@code /usr/bin/python3}),
 * {@code script} ({@code tools/bench/torch_forward.py}), {@code keep} (comma-separated Conv node names kept
 * float32, mixed precision; default none), {@code acts} ({@code uint8} or {@code int8} activations).
 */
public final class QuantizedBenchmark {

    private QuantizedBenchmark() {
    }

    /**
     * @param args key=value options, see the class comment
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("threads", "2", "reps", "5", "batch", "1", "frames", "15",
                "size", "160", "width", "64", "calib", "4", "heldout", "4", "torch", "true"));
        o.put("python", "/usr/bin/python3");
        o.put("script", "tools/bench/torch_forward.py");
        o.put("keep", "");
        o.put("acts", "uint8");
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1 || !o.containsKey(a.substring(0, eq))) {
                throw new IllegalArgumentException("unknown option '" + a + "'; keys: " + o.keySet());
            }
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int threads = Integer.parseInt(o.get("threads"));
        int reps = Integer.parseInt(o.get("reps"));
        int batch = Integer.parseInt(o.get("batch"));
        int frames = Integer.parseInt(o.get("frames"));
        int size = Integer.parseInt(o.get("size"));
        Mc3Architecture arch = Mc3Architecture.mc3_18(2).withBaseWidth(Integer.parseInt(o.get("width")))
                .withInputSize(size, size);
        ModelProto fp32 = Mc3Graph.random(arch, 1);
        long t0 = System.nanoTime();
        Set<String> keep = new TreeSet<>();
        for (String n : o.get("keep").split(",")) {
            if (!n.isBlank()) {
                keep.add(n.strip());
            }
        }
        ModelProto int8 = Int8Quantizer.defaults().withThreads(threads).withExcluded(keep)
                .withUnsignedActivations(!o.get("acts").equals("int8"))
                .quantize(fp32, clips(11, Integer.parseInt(o.get("calib")), 1, frames, size));
        System.out.printf(Locale.ROOT, "float32 Convs: %s; activations %s%n", keep, o.get("acts"));
        System.out.printf(Locale.ROOT, "calibration + rewrite: %.1f s; int8 model ops %s%n",
                (System.nanoTime() - t0) / 1e9, ModelInspector.opCounts(int8));
        QuantizationReport r = QuantizationReport.measure(fp32, int8,
                clips(99, Integer.parseInt(o.get("heldout")), 1, frames, size), threads);
        System.out.println("accuracy: " + r);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path optimised = Files.createTempFile("int8-optimised", ".onnx");
        float[] x = clips(5, 1, batch, frames, size).get(0).data();
        long[] shape = {batch, 3, frames, size, size};
        boolean torch = Boolean.parseBoolean(o.get("torch"));
        double[] tf = new double[reps];
        double[] ti = new double[reps];
        double[] tt = new double[reps];
        TorchProcess py = null;
        if (torch) {
            py = TorchProcess.start(List.of(o.get("python"), o.get("script"), "--threads",
                    String.valueOf(threads), "--frames", String.valueOf(frames), "--size",
                    String.valueOf(size), "--serve"));
            System.out.println("torch: " + py.infoLine());
        }
        try (OrtSession.SessionOptions of = options(threads, null);
                OrtSession.SessionOptions oi = options(threads, optimised);
                OrtSession sf = env.createSession(OnnxModels.toBytes(fp32), of);
                OrtSession si = env.createSession(OnnxModels.toBytes(int8), oi);
                OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
            System.out.println("int8 ops after ONNX Runtime's optimiser: "
                    + ModelInspector.opCounts(OnnxModels.read(optimised)));
            time(sf, in);
            time(si, in);
            if (torch) {
                py.time("time " + batch);
            }
            // round robin, so that a change of the machine's load hits every side alike
            for (int i = 0; i < reps; i++) {
                tf[i] = time(sf, in);
                ti[i] = time(si, in);
                if (torch) {
                    tt[i] = py.time("time " + batch);
                }
            }
        } finally {
            if (py != null) {
                py.close();
            }
        }
        Files.deleteIfExists(optimised);
        System.out.printf(Locale.ROOT, "ORT fp32 ms [%s] median %.1f min %.1f%n", format(tf, ", "), median(tf), min(tf));
        System.out.printf(Locale.ROOT, "ORT int8 ms [%s] median %.1f min %.1f%n", format(ti, ", "), median(ti), min(ti));
        System.out.printf(Locale.ROOT, "speed-up int8 over fp32 ORT: median %.2fx, min %.2fx%n",
                median(tf) / median(ti), min(tf) / min(ti));
        if (torch) {
            System.out.printf(Locale.ROOT, "torch fp32 ms [%s] median %.1f min %.1f%n", format(tt, ", "), median(tt), min(tt));
            System.out.printf(Locale.ROOT, "torch fp32 / ORT int8: median %.2fx, min %.2fx; torch / ORT fp32: "
                    + "median %.2fx, min %.2fx%n", median(tt) / median(ti), min(tt) / min(ti),
                    median(tt) / median(tf), min(tt) / min(tf));
        }
    }

    private static OrtSession.SessionOptions options(int threads, Path optimisedOut) throws Exception {
        OrtSession.SessionOptions s = new OrtSession.SessionOptions();
        s.setIntraOpNumThreads(threads);
        s.setInterOpNumThreads(1);
        s.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (optimisedOut != null) {
            s.setOptimizedModelFilePath(optimisedOut.toString());
        }
        return s;
    }

    private static double time(OrtSession s, OnnxTensor in) throws Exception {
        long t = System.nanoTime();
        try (OrtSession.Result r = s.run(Map.of(Mc3Graph.INPUT, in))) {
            return (System.nanoTime() - t) / 1e6;
        }
    }

    private static List<FloatTensor> clips(long seed, int count, int batch, int frames, int size) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<FloatTensor> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            float[] v = new float[batch * 3 * frames * size * size];
            for (int i = 0; i < v.length; i++) {
                // sum of 4 uniforms, rescaled: close to N(0, 1) and cheap
                v[i] = (float) ((rng.nextDouble() + rng.nextDouble() + rng.nextDouble() + rng.nextDouble() - 2)
                        * Math.sqrt(3));
            }
            out.add(FloatTensor.of(v, batch, 3, frames, size, size));
        }
        return out;
    }
}
