package org.engagement4j.core.graph.backward;

import ai.onnxruntime.OrtException;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.engagement4j.core.graph.ElementType;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;

/**
 * Finite-difference checks of backward graphs: central differences of the forward model on ONNX
 * Runtime against the gradients the backward model computes, for several random seed rows at once.
 * Input gradients are checked element by element (all perturbed inputs go through the forward model
 * as one batch); weight gradients along random directions.
 */
final class GradCheck {

    /** Relative L2 errors of one check. */
    record Report(double input, Map<String, Double> weights, int seedRows) {

        double worst() {
            double w = input;
            for (double v : weights.values()) {
                w = Math.max(w, v);
            }
            return w;
        }
    }

    private GradCheck() {
    }

    static TensorProto tensor(String name, double[] v, boolean dbl, long... dims) {
        if (!dbl) {
            float[] f = new float[v.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) v[i];
            }
            return Tensors.floats(name, f, dims);
        }
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(ElementType.DOUBLE.onnxCode())
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /**
     * @param forward model with one batched input
     * @param input its name
     * @param x the input values (batch 1)
     * @param shape the input shape, batch 1 first
     * @param h the finite-difference step
     * @param seedRows number of seed rows S
     * @param weights initializers whose gradients to check as well
     */
    static Report check(ModelProto forward, String input, double[] x, long[] shape, boolean dbl, double h, int seedRows,
            long seed, List<String> weights) throws OrtException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Ort.T> out0 = Ort.run(forward, Map.of(input, new Ort.T(x, shape, dbl)));
        Ort.T y0 = out0.values().iterator().next();
        int k = y0.size();
        long[] seedShape = y0.shape().clone();
        seedShape[0] = seedRows;
        double[] seedValues = new double[seedRows * k];
        for (int i = 0; i < seedValues.length; i++) {
            seedValues[i] = rnd.nextDouble(-1, 1);
        }
        List<String> wrt = new ArrayList<>();
        wrt.add(input);
        wrt.addAll(weights);
        BackwardModel bw = BackwardGraph.of(forward).withRespectTo(wrt.toArray(String[]::new)).build();
        Map<String, Ort.T> feed = new LinkedHashMap<>();
        feed.put(input, new Ort.T(x, shape, dbl));
        feed.put(bw.seedInput(), new Ort.T(seedValues, seedShape, dbl));
        Map<String, Ort.T> got = Ort.run(bw.model(), feed);
        // The forward outputs are unchanged.
        double[] y1 = got.get(bw.forwardOutputs().get(0)).data();
        if (Ort.relL2(y1, y0.data()) > 1e-6) {
            throw new AssertionError("forward output changed: " + Ort.relL2(y1, y0.data()));
        }
        Ort.T gx = got.get(bw.gradientOutputs().get(input));
        long[] expectShape = shape.clone();
        expectShape[0] = seedRows;
        if (!Arrays.equals(gx.shape(), expectShape)) {
            throw new AssertionError("input gradient shape " + Arrays.toString(gx.shape()) + ", expected "
                    + Arrays.toString(expectShape));
        }
        double[] fd = inputDifferences(forward, input, x, shape, dbl, h, seedValues, seedRows, k);
        double inputErr = Ort.relL2(gx.data(), fd);
        Map<String, Double> werr = new LinkedHashMap<>();
        for (String w : weights) {
            werr.put(w, weightError(forward, input, x, shape, dbl, h, seedValues, seedRows, k, w,
                    got.get(bw.gradientOutputs().get(w)), rnd));
        }
        return new Report(inputErr, werr, seedRows);
    }

    private static double[] inputDifferences(ModelProto forward, String input, double[] x, long[] shape, boolean dbl,
            double h, double[] seedValues, int rows, int k) throws OrtException {
        int n = x.length;
        double[] batch = new double[2 * n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, 0, batch, (2 * i) * n, n);
            System.arraycopy(x, 0, batch, (2 * i + 1) * n, n);
            batch[(2 * i) * n + i] += h;
            batch[(2 * i + 1) * n + i] -= h;
        }
        long[] bshape = shape.clone();
        bshape[0] = 2L * n;
        Ort.T y = Ort.run(forward, Map.of(input, new Ort.T(batch, bshape, dbl))).values().iterator().next();
        double[] fd = new double[rows * n];
        for (int s = 0; s < rows; s++) {
            for (int i = 0; i < n; i++) {
                double acc = 0;
                for (int j = 0; j < k; j++) {
                    acc += seedValues[s * k + j] * (y.data()[(2 * i) * k + j] - y.data()[(2 * i + 1) * k + j]);
                }
                fd[s * n + i] = acc / (2 * h);
            }
        }
        return fd;
    }

    private static double weightError(ModelProto forward, String input, double[] x, long[] shape, boolean dbl,
            double h, double[] seedValues, int rows, int k, String w, Ort.T grad, SplittableRandom rnd)
            throws OrtException {
        TensorProto init = forward.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(w))
                .findFirst().orElseThrow();
        double[] w0 = values(init);
        long[] dims = Tensors.dims(init);
        int m = w0.length;
        if (grad.size() != rows * m) {
            throw new AssertionError("weight gradient of " + w + " has shape " + Arrays.toString(grad.shape()));
        }
        int directions = 3;
        double[] analytic = new double[directions * rows];
        double[] numeric = new double[directions * rows];
        for (int d = 0; d < directions; d++) {
            double[] v = new double[m];
            for (int i = 0; i < m; i++) {
                v[i] = rnd.nextDouble(-1, 1);
            }
            double[] plus = new double[m];
            double[] minus = new double[m];
            for (int i = 0; i < m; i++) {
                plus[i] = w0[i] + h * v[i];
                minus[i] = w0[i] - h * v[i];
            }
            double[] yp = Ort.run(withInitializer(forward, tensor(w, plus, dbl, dims)),
                    Map.of(input, new Ort.T(x, shape, dbl))).values().iterator().next().data();
            double[] ym = Ort.run(withInitializer(forward, tensor(w, minus, dbl, dims)),
                    Map.of(input, new Ort.T(x, shape, dbl))).values().iterator().next().data();
            for (int s = 0; s < rows; s++) {
                double a = 0;
                for (int i = 0; i < m; i++) {
                    a += grad.data()[s * m + i] * v[i];
                }
                double num = 0;
                for (int j = 0; j < k; j++) {
                    num += seedValues[s * k + j] * (yp[j] - ym[j]);
                }
                analytic[d * rows + s] = a;
                numeric[d * rows + s] = num / (2 * h);
            }
        }
        return Ort.relL2(analytic, numeric);
    }

    static double[] values(TensorProto t) {
        if (t.getDataType() == ElementType.DOUBLE.onnxCode()) {
            double[] v = new double[t.getRawData().size() / 8];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
            return v;
        }
        float[] f = Tensors.toFloats(t);
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = f[i];
        }
        return v;
    }

    private static ModelProto withInitializer(ModelProto m, TensorProto replacement) {
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals(replacement.getName())) {
                g.setInitializer(i, replacement);
            }
        }
        return m.toBuilder().setGraph(g).build();
    }
}
