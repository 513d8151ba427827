package org.engagement4j.xai.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.engagement4j.metrics.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Trilinear} against torch's F.interpolate(mode="trilinear", align_corners=False). */
class TrilinearTest {

    /**
     * The fixture's guided Grad-CAM is max_c |up(cam) * guided[c]| = up(cam) * guided saliency, so
     * torch's own Grad-CAM resized here times torch's guided map must give torch's guided Grad-CAM
     * to float32 round-off: a check of the resampling alone, at 4 x 4 -> 64 x 64.
     */
    @ParameterizedTest
    @CsvSource({"clip15, positive", "clip15, negative", "clip4, positive", "clip4, negative"})
    void torchsUpsamplingOfTheFixtures(String name, String target) throws Exception {
        Target t = Target.fromId(target);
        Volume cam = XaiFixtures.map(name, AttentionMethod.GRAD_CAM, t);
        Volume guided = XaiFixtures.map(name, AttentionMethod.GUIDED_BACKPROP, t);
        Volume expected = XaiFixtures.map(name, AttentionMethod.GUIDED_GRAD_CAM, t);
        double[] up = Trilinear.resize(cam, guided.frames(), guided.height(), guided.width())
                .toArray();
        double[] g = guided.toArray();
        for (int i = 0; i < up.length; i++) {
            up[i] *= g[i];
        }
        double err = XaiFixtures.relL2(Volume.of(up, guided.frames(), guided.height(),
                guided.width()), expected);
        assertTrue(err < 1e-6, name + " " + target + ": " + err);
    }

    /** Hand-computed with align_corners = false: scale in / out, s = (d + 0.5) * scale - 0.5. */
    @Test
    void oneAxisByHand() {
        Volume v = Volume.of(new double[] {0, 4}, 1, 1, 2);
        // out 4: s = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (upper neighbour clamped).
        assertArrayEquals(new double[] {0, 1, 3, 4}, Trilinear.resize(v, 1, 1, 4).toArray(), 1e-15);
        // out 3: s = -1/6 -> 0, 0.5, 7/6 -> index 1.
        assertArrayEquals(new double[] {0, 2, 4}, Trilinear.resize(v, 1, 1, 3).toArray(), 1e-15);
        // Downsampling 4 -> 2: s = 0.5, 2.5.
        Volume w = Volume.of(new double[] {0, 1, 2, 3}, 1, 4, 1);
        assertArrayEquals(new double[] {0.5, 2.5}, Trilinear.resize(w, 1, 2, 1).toArray(), 1e-15);
        // Time is interpolated like the other axes.
        Volume t = Volume.of(new double[] {2, 6}, 2, 1, 1);
        assertArrayEquals(new double[] {2, 3, 5, 6}, Trilinear.resize(t, 4, 1, 1).toArray(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Trilinear.resize(v, 0, 1, 1));
    }
}
