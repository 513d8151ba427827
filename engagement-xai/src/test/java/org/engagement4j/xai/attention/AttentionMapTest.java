package org.engagement4j.xai.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.engagement4j.core.model.Provenance;
import org.engagement4j.core.model.Provider;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.NpyArray;
import org.engagement4j.metrics.maps.ConstantMapPolicy;
import org.engagement4j.metrics.maps.MapKind;
import org.engagement4j.metrics.maps.MapStandardizer;
import org.junit.jupiter.api.Test;

/** Invariants of {@link AttentionMap}, {@link Explanation} and the method / target names. */
class AttentionMapTest {

    static final Provenance MODEL = new Provenance("0".repeat(64), 17, Provider.CPU, "test",
            "1.22.0", "17");
    static final AttentionProvenance PROV = AttentionProvenance.of(MODEL);

    private static AttentionMap map(AttentionMethod m, Target t, double... values) {
        return AttentionMap.of(m, t, Volume.of(values, 1, 1, values.length), PROV);
    }

    @Test
    void rawValuesMustBeFiniteAndNonNegative() {
        assertThrows(IllegalArgumentException.class,
                () -> map(AttentionMethod.GRAD_CAM, Target.POSITIVE, 0, -1e-9));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> map(AttentionMethod.GRAD_CAM, Target.POSITIVE, 0, Double.NaN));
        assertTrue(nan.getMessage().contains("gradcam_positive"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> map(AttentionMethod.GRAD_CAM, Target.POSITIVE, Double.POSITIVE_INFINITY));
        assertThrows(NullPointerException.class,
                () -> AttentionMap.of(null, Target.POSITIVE, Volume.filled(0, 1, 1, 1), PROV));
    }

    @Test
    void normalisedViewIsMinMaxOverTheWholeClip() {
        AttentionMap m = AttentionMap.of(AttentionMethod.GRADIENT_SALIENCY, Target.NEGATIVE,
                Volume.of(new double[] {1, 2, 3, 5}, 2, 1, 2), PROV);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 1}, m.normalized().toArray(), 0);
        assertArrayEquals(new double[] {1, 2, 3, 5}, m.raw().toArray(), 0);
        assertFalse(m.isConstant());
        assertEquals(MapKind.FINE, m.mapKind());
        assertArrayEquals(new int[] {2, 1, 2}, m.shape());
    }

    @Test
    void constantMapNormalisesToZerosOrIsRejected() {
        AttentionMap m = map(AttentionMethod.GRAD_CAM, Target.POSITIVE, 0, 0, 0);
        assertTrue(m.isConstant());
        assertArrayEquals(new double[3], m.normalized().toArray(), 0);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> m.normalized(ConstantMapPolicy.REJECT));
        assertTrue(ex.getMessage().startsWith("Grad-CAM map of target positive"), ex.getMessage());
    }

    @Property(tries = 200)
    void normalisedIsInUnitRangeAndKeepsTheOrder(
            @ForAll @Size(min = 2, max = 40) List<@DoubleRange(min = 0, max = 1e6) Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        AttentionMap m = map(AttentionMethod.OCCLUSION, Target.NEGATIVE, v);
        double[] n = m.normalized().toArray();
        for (int i = 0; i < v.length; i++) {
            assertTrue(n[i] >= 0 && n[i] <= 1, "value " + n[i]);
            for (int j = 0; j < v.length; j++) {
                if (v[i] < v[j]) {
                    assertTrue(n[i] <= n[j]);
                }
            }
        }
        if (!m.isConstant()) {
            assertEquals(0, m.normalized().min(), 0);
            assertEquals(1, m.normalized().max(), 0);
        }
    }

    @Test
    void npyIsFloat32OfTheRawMap() {
        AttentionMap m = AttentionMap.of(AttentionMethod.GRAD_CAM, Target.POSITIVE,
                Volume.of(new double[] {0.5, 0.25, 0, 1, 2, 3}, 1, 2, 3), PROV);
        NpyArray a = m.toNpy();
        assertEquals(NpyArray.DType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {1, 2, 3}, a.shape());
        assertArrayEquals(new float[] {0.5f, 0.25f, 0, 1, 2, 3}, a.toFloatArray(), 0);
    }

    @Test
    void resizedToItsOwnSizeIsItself() {
        AttentionMap m = map(AttentionMethod.GRAD_CAM, Target.POSITIVE, 1, 2);
        assertSame(m.raw(), m.resized(1, 1, 2));
        assertArrayEquals(new double[] {1, 1.25, 1.75, 2}, m.resized(1, 1, 4).toArray(), 1e-15);
    }

    @Test
    void standardisedForTheComparisonByKind() {
        double[] fine = new double[2 * 160 * 160];
        fine[80 * 160 + 80] = 1;
        AttentionMap g = AttentionMap.of(AttentionMethod.GUIDED_BACKPROP, Target.POSITIVE,
                Volume.of(fine, 2, 160, 160), PROV);
        Volume s = g.standardized(MapStandardizer.reference());
        assertArrayEquals(new int[] {2, 32, 32}, s.shape());
        assertEquals(1, s.max(), 0);
        double[] coarse = new double[2 * 10 * 10];
        coarse[57] = 2;
        AttentionMap c = AttentionMap.of(AttentionMethod.GRAD_CAM, Target.POSITIVE,
                Volume.of(coarse, 2, 10, 10), PROV);
        assertArrayEquals(new int[] {2, 32, 32}, c.standardized(MapStandardizer.reference())
                .shape());
        // A 10 x 10 map cannot take the FINE path: the method decides, not the size.
        AttentionMap wrongKind = AttentionMap.of(AttentionMethod.GRADIENT_SALIENCY,
                Target.POSITIVE, Volume.of(coarse, 2, 10, 10), PROV);
        assertThrows(IllegalArgumentException.class,
                () -> wrongKind.standardized(MapStandardizer.reference()));
    }

    @Test
    void equalityIsByValue() {
        AttentionMap a = map(AttentionMethod.GRAD_CAM, Target.POSITIVE, 1, 2);
        AttentionMap b = map(AttentionMethod.GRAD_CAM, Target.POSITIVE, 1, 2);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, map(AttentionMethod.GRAD_CAM, Target.NEGATIVE, 1, 2));
        assertNotEquals(a, map(AttentionMethod.OCCLUSION, Target.POSITIVE, 1, 2));
        assertNotEquals(a, AttentionMap.of(AttentionMethod.GRAD_CAM, Target.POSITIVE,
                a.raw(), new AttentionProvenance(MODEL, Optional.of("x"), Optional.empty())));
        assertEquals("AttentionMap[gradcam, positive, [1, 1, 2]]", a.toString());
    }

    @Test
    void explanationOrdersAndFindsItsMaps() {
        AttentionMap p = map(AttentionMethod.OCCLUSION, Target.POSITIVE, 1);
        AttentionMap n = map(AttentionMethod.OCCLUSION, Target.NEGATIVE, 2);
        AttentionMap g = map(AttentionMethod.GRADIENT_SALIENCY, Target.POSITIVE, 3);
        Explanation e = Explanation.of(new float[] {0f, (float) Math.log(3)}, MODEL,
                List.of(p, g, n));
        assertEquals(List.of(g, n, p), e.maps());
        assertSame(n, e.get(AttentionMethod.OCCLUSION, Target.NEGATIVE));
        assertEquals(Optional.empty(), e.find(AttentionMethod.GRAD_CAM, Target.POSITIVE));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.get(AttentionMethod.GRAD_CAM, Target.POSITIVE));
        assertTrue(ex.getMessage().contains("no gradcam map of target positive"), ex.getMessage());
        assertArrayEquals(new double[] {0.25, 0.75}, e.probabilities(), 1e-7);
        assertEquals(2, e.methods().size());
        assertEquals(2, e.targets().size());
        assertThrows(IllegalArgumentException.class,
                () -> Explanation.of(new float[] {0, 1}, MODEL, List.of(p, p)));
        assertThrows(IllegalArgumentException.class,
                () -> Explanation.of(new float[] {0}, MODEL, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Explanation.of(new float[] {0, Float.NaN}, MODEL, List.of()));
    }

    @Test
    void namesRoundTrip() {
        for (AttentionMethod m : AttentionMethod.values()) {
            assertSame(m, AttentionMethod.fromId(m.id()));
            assertSame(m, AttentionMethod.fromId(m.name().toLowerCase(java.util.Locale.ROOT)));
        }
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> AttentionMethod.fromId("lime"));
        assertTrue(ex.getMessage().contains("saliency, guided, gradcam, guided-gradcam, occlusion"),
                ex.getMessage());
        assertSame(Target.POSITIVE, Target.fromId("Positive"));
        assertSame(Target.NEGATIVE, Target.fromId("0"));
        assertEquals(1, Target.POSITIVE.classIndex());
        assertThrows(IllegalArgumentException.class, () -> Target.fromId("both"));
        assertEquals(MapKind.COARSE, AttentionMethod.GRAD_CAM.mapKind());
        assertEquals(MapKind.COARSE, AttentionMethod.OCCLUSION.mapKind());
        assertEquals(MapKind.FINE, AttentionMethod.GUIDED_GRAD_CAM.mapKind());
    }

    @Property(tries = 50)
    void trilinearKeepsConstantsAndBounds(@ForAll @IntRange(min = 1, max = 5) int t,
            @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
            @ForAll @IntRange(min = 1, max = 7) int t2, @ForAll @IntRange(min = 1, max = 13) int h2,
            @ForAll @IntRange(min = 1, max = 13) int w2) {
        assertArrayEquals(Volume.filled(0.7, t2, h2, w2).toArray(),
                Trilinear.resize(Volume.filled(0.7, t, h, w), t2, h2, w2).toArray(), 1e-15);
        double[] v = new double[t * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7919 % 13) / 13.0;
        }
        Volume r = Trilinear.resize(Volume.of(v, t, h, w), t2, h2, w2);
        assertTrue(r.min() >= 0 && r.max() <= 12 / 13.0 + 1e-15);
    }
}
