package org.engagement4j.core.graph.quant;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/** One CPU ONNX Runtime session over a model, copying float outputs to Java arrays. */
final class OrtForward implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;

    OrtForward(ModelProto model, String inputName, int threads) {
        this.inputName = inputName;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            session = env.createSession(OnnxModels.toBytes(model), opts);
        } catch (OrtException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "ONNX Runtime cannot load model '%s': %s", model.getGraph().getName(), e.getMessage()), e);
        }
    }

    /** Runs one input; returns every float output by name (values in C order). */
    Map<String, float[]> run(FloatTensor input) {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), input.shape());
                OrtSession.Result result = session.run(Map.of(inputName, x))) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                FloatBuffer fb = t.getFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                out.put(e.getKey(), v);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "ONNX Runtime failed on input of shape %s: %s", java.util.Arrays.toString(input.shape()),
                    e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing an ONNX Runtime session failed", e);
        }
    }
}
