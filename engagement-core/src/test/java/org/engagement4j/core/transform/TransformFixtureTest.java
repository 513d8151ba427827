package org.engagement4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every deterministic operation against torchvision 0.14 / PyTorch 1.13, called as the reference
 * calls it (the calls are in {@code tools/fixtures/transform_fixtures.py} and in each case's
 * {@code call} field). Tolerance {@code 1e-5} absolute on values of magnitude up to about 3.
 */
class TransformFixtureTest {

    /** The tolerance the issue asks for (float32 results). */
    private static final double TOLERANCE = 1e-5;

    private static final List<TransformFixtures.Case> CASES = TransformFixtures.cases();

    @Test
    void everyOperationHasCases() {
        for (String op : List.of("rotate", "resized_crop", "hflip", "contrast", "colour", "blur",
                "center_crop", "normalize", "stats")) {
            assertTrue(CASES.stream().filter(c -> c.get("op").equals(op)).count() >= 2,
                    "fewer than 2 fixture cases for " + op);
        }
    }

    @TestFactory
    Stream<DynamicTest> floatOperationsMatchTorchvision() {
        return CASES.stream().filter(c -> c.has("input"))
                .map(c -> DynamicTest.dynamicTest(c.name, () -> check(c)));
    }

    private static void check(TransformFixtures.Case c) {
        ClipTensor in = c.input();
        ClipTensor out = operation(c).apply(in);
        assertArrayEquals(c.ints("shape"), out.shape(), c.name + ": shape");
        compare(c, out.toArray(), c.stride(), c.expected());
    }

    static ClipTransform operation(TransformFixtures.Case c) {
        switch (c.get("op")) {
            case "rotate":
                return Rotation.of(c.param("angle"));
            case "resized_crop":
                return ResizedCrop.of(c.intParam("top"), c.intParam("left"), c.intParam("height"),
                        c.intParam("width"), c.intParam("out_height"), c.intParam("out_width"));
            case "hflip":
                return HorizontalFlip.of();
            case "contrast":
                return ContrastAdjustment.of(c.param("scale"), c.param("bias"));
            case "colour":
                return ColourAdjustment.of(c.paramArray("scale"), c.paramArray("bias"));
            case "blur":
                return GaussianBlur.of(c.intParam("kernel"), c.param("sigma"));
            case "center_crop":
                return CenterCrop.of(c.intParam("height"), c.intParam("width"));
            default:
                throw new IllegalStateException(c.name + ": unknown op " + c.get("op"));
        }
    }

    static double compare(TransformFixtures.Case c, float[] actual, int stride, float[] expected) {
        assertEquals(expected.length, (actual.length + stride - 1) / stride,
                c.name + ": number of values");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i * stride] - expected[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i * stride;
            }
        }
        if (!(worst <= TOLERANCE)) {
            fail(String.format(Locale.ROOT, "%s: |java - torch| = %.3g at flat index %d (java %s,"
                    + " torch %s), tolerance %.0g; call: %s", c.name, worst, at, actual[at],
                    expected[at / stride], TOLERANCE, c.get("call")));
        }
        return worst;
    }

    @TestFactory
    Stream<DynamicTest> normalisationMatchesTheReference() {
        return CASES.stream().filter(c -> c.get("op").equals("normalize"))
                .map(c -> DynamicTest.dynamicTest(c.name, () -> {
                    int[] s = c.ints("shape");
                    Normalization norm = Normalization.of(c.paramArray("mean"), c.paramArray("std"));
                    ClipTensor out = norm.apply(c.bytes(), s[0], s[1], s[2]);
                    assertArrayEquals(new int[] {3, s[0], s[1], s[2]}, out.shape());
                    compare(c, out.toArray(), 1, c.expected());
                }));
    }
}
