package org.engagement4j.core.graph.backward;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/**
 * Test harness: runs a model once on ONNX Runtime (CPU, 2 threads) with float32 or float64 inputs
 * and copies every float output to a double array. Every tensor, result and session is closed.
 */
final class Ort {

    /** A tensor in C order, held as doubles; {@code dbl} says whether it is fed as float64. */
    record T(double[] data, long[] shape, boolean dbl) {

        int size() {
            return data.length;
        }
    }

    private Ort() {
    }

    static T f32(double[] data, long... shape) {
        return new T(data, shape, false);
    }

    static T f64(double[] data, long... shape) {
        return new T(data, shape, true);
    }

    static Map<String, T> run(ModelProto model, Map<String, T> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> created = new ArrayList<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            opts.setInterOpNumThreads(1);
            if (inputs.values().stream().anyMatch(T::dbl)) {
                // ONNX Runtime's extended fusions (QuickGelu, FusedMatMul) have float32 kernels only and
                // would make float64 graphs unloadable.
                opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            }
            try (OrtSession session = env.createSession(OnnxModels.toBytes(model), opts)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                for (Map.Entry<String, T> e : inputs.entrySet()) {
                    T t = e.getValue();
                    OnnxTensor x;
                    if (t.dbl()) {
                        x = OnnxTensor.createTensor(env, DoubleBuffer.wrap(t.data().clone()), t.shape());
                    } else {
                        float[] f = new float[t.size()];
                        for (int i = 0; i < f.length; i++) {
                            f[i] = (float) t.data()[i];
                        }
                        x = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), t.shape());
                    }
                    created.add(x);
                    feed.put(e.getKey(), x);
                }
                try (OrtSession.Result result = session.run(feed)) {
                    Map<String, T> out = new LinkedHashMap<>();
                    for (Map.Entry<String, OnnxValue> e : result) {
                        OnnxTensor t = (OnnxTensor) e.getValue();
                        long[] s = t.getInfo().getShape();
                        int n = 1;
                        for (long d : s) {
                            n = Math.multiplyExact(n, (int) d);
                        }
                        double[] v = new double[n];
                        switch (t.getInfo().type) {
                            case DOUBLE -> t.getDoubleBuffer().get(v);
                            case FLOAT -> {
                                FloatBuffer fb = t.getFloatBuffer();
                                for (int i = 0; i < n; i++) {
                                    v[i] = fb.get(i);
                                }
                            }
                            default -> {
                                continue;
                            }
                        }
                        out.put(e.getKey(), new T(v, s, t.getInfo().type == ai.onnxruntime.OnnxJavaType.DOUBLE));
                    }
                    return out;
                }
            }
        } finally {
            for (OnnxTensor t : created) {
                t.close();
            }
        }
    }

    /** ||a - b|| / max(||b||, tiny). */
    static double relL2(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            num += d * d;
            den += b[i] * b[i];
        }
        return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-300);
    }
}
