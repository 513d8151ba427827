package org.engagement4j.core.training;

import java.io.IOException;
import java.nio.file.Path;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.Safetensors;
import org.engagement4j.core.graph.StateDict;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/** The files of {@code tools/fixtures/finetune_fixtures.py} and the narrow mc3 model they start from. */
final class FineTuneFixtures {

    /** Clips of the reference batch: [3, 2, 32, 32]. */
    static final long[] CLIP = {3, 2, 32, 32};

    private FineTuneFixtures() {
    }

    static Path file(String name) {
        return HeadFixtures.dir("finetune").resolve(name);
    }

    /** The narrow mc3 (widths 8..64, 2 classes) with its BatchNorms folded, input 32 x 32. */
    static ModelProto narrowModel() throws IOException {
        return narrowModel(32);
    }

    /** The same model for square inputs of the given size. */
    static ModelProto narrowModel(int size) throws IOException {
        StateDict sd = Safetensors.read(HeadFixtures.dir("mc3").resolve("narrow_w8_k2.safetensors"));
        Mc3Architecture arch = Mc3Architecture.inferFrom(sd).withInputSize(size, size);
        return Mc3Graph.build(arch, sd);
    }

    /** mc3_fixtures.py's generator: x <- 1664525 x + 1013904223 (mod 2^32), value 4 (x >> 8) / 2^24 - 2. */
    static float[] lcg(long seed, int count) {
        long state = seed & 0xFFFFFFFFL;
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            state = (1664525L * state + 1013904223L) & 0xFFFFFFFFL;
            out[i] = (float) (4.0 * ((state >>> 8) / 16777216.0) - 2.0);
        }
        return out;
    }
}
