package org.engagement4j.xai.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.engagement4j.core.model.Provenance;
import org.engagement4j.core.model.Provider;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.metrics.Volume;
import org.engagement4j.xai.attention.AttentionMap;
import org.engagement4j.xai.attention.AttentionMethod;
import org.engagement4j.xai.attention.AttentionProvenance;
import org.engagement4j.xai.attention.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Colours, overlays, grids, GIFs and figures: sizes, pixel values, file round trips. */
class RenderTest {

    @TempDir
    Path tmp;

    private static final AttentionProvenance PROV = AttentionProvenance.of(new Provenance(
            "0".repeat(64), 17, Provider.CPU, "test", "1.22.0", "17"));

    /** Two grey frames of 4 x 6: 100 and 200. */
    private static RgbFrames grey() {
        byte[] b = new byte[2 * 4 * 6 * 3];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i < b.length / 2 ? 100 : 200);
        }
        return RgbFrames.of(b, 2, 4, 6);
    }

    @Test
    void colourMapsEnds() {
        assertEquals(0x000080, ColorMap.JET.rgb(0));
        assertEquals(0x80ff80, ColorMap.JET.rgb(0.5));
        assertEquals(0x800000, ColorMap.JET.rgb(1));
        assertEquals(0x0000ff, ColorMap.JET.rgb(0.125));
        assertEquals(0x000080, ColorMap.JET.rgb(-3));
        assertEquals(0x000080, ColorMap.JET.rgb(Double.NaN));
        assertEquals(0x440154, ColorMap.VIRIDIS.rgb(0));
        assertEquals(0x21918c, ColorMap.VIRIDIS.rgb(0.5));
        assertEquals(0xfde725, ColorMap.VIRIDIS.rgb(1));
        assertEquals(0xfde725, ColorMap.VIRIDIS.rgb(7));
        assertEquals(0x808080, ColorMap.GRAY.rgb(0.5));
        int[] t = ColorMap.VIRIDIS.table();
        assertEquals(256, t.length);
        assertEquals(0x440154, t[0]);
        assertEquals(0xfde725, t[255]);
    }

    @Test
    void blendFollowsTheStyle() {
        OverlayStyle ref = OverlayStyle.reference();
        assertEquals(0x646464, ref.blend(0x646464, 0));
        assertEquals(ColorMap.JET.rgb(1), ref.blend(0x646464, 1));
        // value 0.25: opacity sqrt(0.25) = 0.5.
        int c = ColorMap.JET.rgb(0.25);
        int r = (int) Math.round(0.5 * 100 + 0.5 * (c >> 16 & 0xFF));
        assertEquals(r, ref.blend(0x646464, 0.25) >> 16 & 0xFF);
        OverlayStyle tool = OverlayStyle.annotator();
        int blue = ColorMap.JET.rgb(0) & 0xFF;
        assertEquals((int) Math.round(0.75 * 100 + 0.25 * blue), tool.blend(0x646464, 0) & 0xFF);
        assertThrows(IllegalArgumentException.class, () -> ref.withAlpha(1.5));
    }

    @Test
    void overlaysHaveTheFramesSizeAndResizeCoarseMaps() {
        RgbFrames f = grey();
        // A 2 x 2 x 3 map: frame 0 all zero, frame 1 all at its maximum.
        double[] v = {0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5};
        AttentionMap m = AttentionMap.of(AttentionMethod.GRAD_CAM, Target.POSITIVE,
                Volume.of(v, 2, 2, 3), PROV);
        List<BufferedImage> out = Overlays.overlay(f, m, OverlayStyle.reference());
        assertEquals(2, out.size());
        assertEquals(6, out.get(0).getWidth());
        assertEquals(4, out.get(0).getHeight());
        assertEquals(0x646464, out.get(0).getRGB(3, 2) & 0xFFFFFF);
        assertEquals(ColorMap.JET.rgb(1), out.get(1).getRGB(5, 3) & 0xFFFFFF);
        AttentionMap other = AttentionMap.of(AttentionMethod.GRAD_CAM, Target.POSITIVE,
                Volume.filled(1, 3, 2, 3), PROV);
        assertThrows(IllegalArgumentException.class,
                () -> Overlays.overlay(f, other, OverlayStyle.reference()));
    }

    @Test
    void gridAndScaling() {
        List<BufferedImage> imgs = Overlays.overlay(grey(), Volume.filled(0.5, 2, 4, 6),
                OverlayStyle.reference());
        List<BufferedImage> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(imgs.get(i % 2));
        }
        BufferedImage g = Overlays.grid(five, 3, 2, false);
        assertEquals(3 * 12 + 4 * 2, g.getWidth());
        assertEquals(2 * 8 + 3 * 2, g.getHeight());
        assertEquals(imgs.get(1).getRGB(0, 0), g.getRGB(2 + 12 + 2, 2));
        assertEquals(0x000000, g.getRGB(0, 0) & 0xFFFFFF);
        BufferedImage s = Overlays.scaled(imgs.get(0), 3);
        assertEquals(18, s.getWidth());
        assertEquals(imgs.get(0).getRGB(5, 3), s.getRGB(17, 11));
        assertThrows(IllegalArgumentException.class, () -> Overlays.grid(List.of(), 3, 1, true));
    }

    @Test
    void coloredMapsAndRawFrames() {
        List<BufferedImage> c = Overlays.colored(Volume.of(new double[] {0, 1}, 1, 1, 2),
                ColorMap.VIRIDIS);
        assertEquals(1, c.size());
        assertEquals(0x440154, c.get(0).getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xfde725, c.get(0).getRGB(1, 0) & 0xFFFFFF);
        RgbFrames f = grey();
        assertEquals(0xC8C8C8, f.image(1).getRGB(5, 3) & 0xFFFFFF);
        assertEquals(0x646464, f.rgb(0, 0, 0));
        assertEquals(2 * 4 * 6 * 3, f.toArray().length);
        assertThrows(IllegalArgumentException.class, () -> RgbFrames.of(new byte[5], 1, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Overlays.colored(Volume.of(new double[] {Double.NaN}, 1, 1, 1),
                        ColorMap.JET));
    }

    @Test
    void framesFromNormalisedClips() {
        Normalization n = Normalization.of(new double[] {100, 110, 120}, new double[] {10, 20, 40});
        float[] v = new float[3 * 2 * 2];
        v[0] = 1f;
        v[4] = -0.5f;
        v[8] = 100f;
        RgbFrames f = RgbFrames.fromNormalized(ClipTensor.of(v, 3, 1, 2, 2), n);
        assertEquals((110 << 16) | (100 << 8) | 255, f.rgb(0, 0, 0));
        assertEquals((100 << 16) | (110 << 8) | 120, f.rgb(0, 1, 1));
        RgbFrames s = RgbFrames.stretched(ClipTensor.of(new float[] {-1, 0, 1, 1, 1, 1, 1, 1, 1,
            1, 1, 1}, 3, 1, 2, 2));
        assertEquals((0 << 16) | (255 << 8) | 255, s.rgb(0, 0, 0));
        assertEquals(0x808080, RgbFrames.stretched(ClipTensor.of(new float[12], 3, 1, 2, 2))
                .rgb(0, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> RgbFrames.fromRgb(ClipTensor.of(new float[4], 1, 1, 2, 2)));
    }

    @Test
    void pngRoundTrip() throws Exception {
        BufferedImage img = Overlays.overlay(grey(), Volume.filled(0.3, 2, 4, 6),
                OverlayStyle.reference()).get(1);
        Path f = tmp.resolve("a.png");
        ImageFiles.writePng(f, img);
        BufferedImage back = ImageIO.read(f.toFile());
        assertEquals(6, back.getWidth());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(img.getRGB(x, y), back.getRGB(x, y));
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void gifHasEveryFrameTheDelayAndLoops() throws Exception {
        List<BufferedImage> imgs = Overlays.overlay(grey(), Volume.of(new double[] {
            0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6,
            0.7, 0.8, 0.9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
            1, 1}, 2, 4, 6), OverlayStyle.reference());
        Path f = tmp.resolve("a.gif");
        ImageFiles.writeGif(f, imgs, 3.125);
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("gif");
        ImageReader r = it.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            r.setInput(in);
            assertEquals(2, r.getNumImages(true));
            for (int i = 0; i < 2; i++) {
                IIOMetadataNode root = (IIOMetadataNode) r.getImageMetadata(i)
                        .getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode gce = (IIOMetadataNode) root
                        .getElementsByTagName("GraphicControlExtension").item(0);
                assertEquals("32", gce.getAttribute("delayTime"));
                BufferedImage frame = r.read(i);
                assertEquals(6, frame.getWidth());
                assertEquals(4, frame.getHeight());
            }
            IIOMetadataNode first = (IIOMetadataNode) r.getImageMetadata(0)
                    .getAsTree("javax_imageio_gif_image_1.0");
            IIOMetadataNode app = (IIOMetadataNode) first.getElementsByTagName("ApplicationExtension")
                    .item(0);
            assertEquals("NETSCAPE", app.getAttribute("applicationID"));
            // The last frame is all at the top of the map: its pixels have jet's top colour (256
            // colours per frame are plenty for these few).
            assertEquals(ColorMap.JET.rgb(1), r.read(1).getRGB(5, 3) & 0xFFFFFF);
        } finally {
            r.dispose();
        }
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.writeGif(f, imgs, 0));
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.writeGif(f, List.of(), 1));
    }

    @Test
    void figureLayout() throws Exception {
        RgbFrames f = grey();
        AttentionMap m = AttentionMap.of(AttentionMethod.GRAD_CAM, Target.POSITIVE,
                Volume.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, 2, 2), PROV);
        AttentionFigure fig = AttentionFigure.of(f).withScale(10).withTitle("target positive")
                .withRow("Grad-CAM", m).withRow("human", Volume.filled(0, 2, 4, 6));
        assertEquals(2, fig.rows());
        BufferedImage img = fig.render();
        // Three rows of 40 px cells and two columns of 60 px cells, plus labels and gaps.
        assertTrue(img.getWidth() > 2 * 60 && img.getWidth() < 2 * 60 + 250, "" + img.getWidth());
        assertTrue(img.getHeight() > 3 * 40 && img.getHeight() < 3 * 40 + 120,
                "" + img.getHeight());
        ImageFiles.writePng(tmp.resolve("figure.png"), img);
        BufferedImage one = AttentionFigure.of(f).withFrames(1).withScale(10).render();
        assertTrue(one.getWidth() < img.getWidth());
        // The frame's own row shows the frame: grey 200 at the centre of its only cell.
        int[] centre = find(one, 0xC8C8C8);
        assertTrue(centre[0] >= 0, "the frame is drawn");
        assertThrows(IndexOutOfBoundsException.class, () -> AttentionFigure.of(f).withFrames(2));
        assertThrows(IllegalArgumentException.class, () -> AttentionFigure.of(f).withScale(0));
        assertArrayEquals(new int[] {2, 4, 6}, new int[] {f.frames(), f.height(), f.width()});
    }

    private static int[] find(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    return new int[] {x, y};
                }
            }
        }
        return new int[] {-1, -1};
    }
}
