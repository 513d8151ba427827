package org.engagement4j.core.graph;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/** Runs a model once on ONNX Runtime (CPU, 2 threads) and copies every output to Java arrays. */
final class OrtRunner {

    /** One output: its shape and values in C order. */
    record Output(long[] shape, float[] values) {
    }

    private OrtRunner() {
    }

    static Map<String, Output> run(ModelProto model, String inputName, float[] input, long... shape)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            opts.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(OnnxModels.toBytes(model), opts);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                    OrtSession.Result result = session.run(Map.of(inputName, x))) {
                Map<String, Output> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    long[] s = t.getInfo().getShape();
                    float[] v = new float[Mc3Fixtures.count(s)];
                    t.getFloatBuffer().get(v);
                    out.put(e.getKey(), new Output(s, v));
                }
                return out;
            }
        }
    }
}
