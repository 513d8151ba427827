package org.engagement4j.xai.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.engagement4j.core.internal.AtomicFiles;

/**
 * Writes pictures: a PNG, or an animated GIF of several frames with a frame delay and endless
 * looping. Writes are atomic: the bytes go to a hidden temporary file beside the target, which is
 * then renamed over it, so a reader never sees a half-written picture.
 *
 * @since 0.1.0
 */
public final class ImageFiles {

    private static final String GIF_METADATA = "javax_imageio_gif_image_1.0";

    private ImageFiles() {
    }

    /**
     * @param file the target, replaced if it exists; its folder must exist
     * @param image the picture
     * @throws IOException if the file cannot be written
     */
    public static void writePng(Path file, BufferedImage image) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(image, "image");
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for an image of type " + image.getType());
            }
        }, AtomicFiles.Sync.FSYNC);
    }

    /**
     * An animated GIF that shows each image for {@code 1 / fps} seconds (GIF counts in
     * hundredths of a second: the delay is rounded to the nearest hundredth, at least 2, because
     * browsers slow down shorter delays) and loops forever. GIF has at most 256 colours per
     * frame: each frame gets its own palette, built by the JDK's writer.
     *
     * @param file the target, replaced if it exists; its folder must exist
     * @param images at least one image
     * @param fps frames per second, finite and positive (3.125 for the paper's snippets)
     * @throws IllegalArgumentException if {@code images} is empty or {@code fps} is not finite
     *     and positive
     * @throws IOException if the file cannot be written
     */
    public static void writeGif(Path file, List<BufferedImage> images, double fps)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(images, "images");
        if (images.isEmpty() || !(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "GIF of %d images at %s fps: need at least one image and a finite fps > 0",
                    images.size(), fps));
        }
        int delay = (int) Math.max(2, Math.min(65535, Math.round(100.0 / fps)));
        AtomicFiles.write(file, out -> {
            Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("gif");
            if (!it.hasNext()) {
                throw new IOException("this Java runtime has no GIF writer");
            }
            ImageWriter writer = it.next();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.prepareWriteSequence(null);
                ImageWriteParam param = writer.getDefaultWriteParam();
                for (int i = 0; i < images.size(); i++) {
                    BufferedImage img = images.get(i);
                    IIOMetadata md = writer.getDefaultImageMetadata(
                            ImageTypeSpecifier.createFromRenderedImage(img), param);
                    IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(GIF_METADATA);
                    IIOMetadataNode gce = child(root, "GraphicControlExtension");
                    gce.setAttribute("disposalMethod", "none");
                    gce.setAttribute("userInputFlag", "FALSE");
                    gce.setAttribute("transparentColorFlag", "FALSE");
                    gce.setAttribute("delayTime", Integer.toString(delay));
                    gce.setAttribute("transparentColorIndex", "0");
                    if (i == 0) {
                        IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
                        app.setAttribute("applicationID", "NETSCAPE");
                        app.setAttribute("authenticationCode", "2.0");
                        // Sub-block 1 with a loop count of 0: loop forever.
                        app.setUserObject(new byte[] {1, 0, 0});
                        child(root, "ApplicationExtensions").appendChild(app);
                    }
                    md.setFromTree(GIF_METADATA, root);
                    writer.writeToSequence(new IIOImage(img, null, md), param);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
        }, AtomicFiles.Sync.FSYNC);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
    }
}
