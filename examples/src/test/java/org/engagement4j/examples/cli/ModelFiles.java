package org.engagement4j.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import picocli.CommandLine;

/** Models, inputs and clips made in Java for the classifier commands' tests. */
final class ModelFiles {

    private ModelFiles() {
    }

    record Outcome(int status, String out, String err) {
    }

    /** Runs one command on its own with the tool's error handler (as FoldsCommandTest does). */
    static Outcome run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Outcome(status, out.toString(), err.toString());
    }

    /** A narrow mc3_18 (base width 2) with seeded weights and any input size. */
    static Path narrowModel(Path dir, String name, int classes) throws IOException {
        Mc3Architecture arch = Mc3Architecture.mc3_18(classes).withBaseWidth(2)
                .withInputSize(Dim.symbolic("height"), Dim.symbolic("width"));
        Path file = dir.resolve(name);
        OnnxModels.write(Mc3Graph.random(arch, 11), file);
        return file;
    }

    /** Values of the fixture scripts' generator: x <- 1664525 x + 1013904223 (mod 2^32). */
    static float[] lcg(int seed, int n) {
        long state = seed & 0xFFFFFFFFL;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            state = (1664525L * state + 1013904223L) & 0xFFFFFFFFL;
            out[i] = (float) (4.0 * ((state >>> 8) / 16777216.0) - 2.0);
        }
        return out;
    }

    static Path npy(Path dir, String name, NpyArray array) throws IOException {
        Path file = dir.resolve(name);
        Npy.write(file, array);
        return file;
    }

    /**
     * A clip directory in the format of the video package ({@code frames.npy} and
     * {@code clip.json}), written by hand: frames {@code [T, H, W, 3]} of a slowly brightening
     * grey ramp.
     */
    static Path clip(Path dir, int frames, int height, int width) throws IOException {
        Path clip = dir.resolve("clip");
        Files.createDirectories(clip);
        byte[] rgb = new byte[frames * height * width * 3];
        for (int i = 0; i < rgb.length; i++) {
            int t = i / (height * width * 3);
            rgb[i] = (byte) ((t * 255 / Math.max(1, frames - 1) + i % 7) & 0xFF);
        }
        writeClip(clip, rgb, frames, height, width);
        return clip;
    }

    /** Writes {@code frames.npy} and a {@code clip.json} as the clip cache does, at 3.125 fps. */
    static void writeClip(Path clip, byte[] rgb, int frames, int height, int width)
            throws IOException {
        Npy.write(clip.resolve("frames.npy"), NpyArray.ofBytes(rgb, frames, height, width, 3));
        StringBuilder times = new StringBuilder();
        for (int t = 0; t < frames; t++) {
            times.append(t == 0 ? "" : ", ").append(t * 320_000L);
        }
        String json = "{\n"
                + "  \"format\": \"engagement4j-clip\", \"format_version\": 1,\n"
                + "  \"data_file\": \"frames.npy\", \"dtype\": \"uint8\", \"layout\": \"THWC\",\n"
                + "  \"frames\": " + frames + ", \"height\": " + height + ", \"width\": " + width
                + ", \"channels\": 3, \"fps\": 3.125,\n"
                + "  \"settings\": {\"height\": " + height + ", \"fps\": 3.125, \"aspect\":"
                + " \"STORAGE\", \"selection\": \"NEAREST\", \"deinterlace\": \"OFF\"},\n"
                + "  \"source\": {\"path\": \"synthetic.mp4\", \"size\": 1, \"modified\":"
                + " \"2024-01-01T00:00:00Z\", \"sha256\": \"" + "0".repeat(64) + "\"},\n"
                + "  \"video\": {\"container\": \"mp4\", \"codec\": \"h264\", \"stored_width\": "
                + width + ", \"stored_height\": " + height + ", \"sar_num\": 1, \"sar_den\": 1,"
                + " \"rotation\": 0, \"field_order\": \"progressive\", \"frame_rate\": 25.0,"
                + " \"duration_us\": null},\n"
                + "  \"decoded_frames\": " + frames + ", \"decode_errors\": 0,\n"
                + "  \"frame_times_us\": [" + times + "],\n"
                + "  \"library_version\": \"test\", \"created\": \"2024-01-01T00:00:00Z\"\n"
                + "}\n";
        Files.writeString(clip.resolve("clip.json"), json, StandardCharsets.UTF_8);
    }

    static Path normalization(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "{\"mean\": [120, 115, 110], \"std\": [60, 58, 57]}\n",
                StandardCharsets.UTF_8);
        return file;
    }
}
