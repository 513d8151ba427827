package org.engagement4j.examples.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.SessionFolder;
import org.engagement4j.core.annotation.SessionLoader;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.transform.TestTransform;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.video.VideoPreprocessor;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.maps.MapKind;
import org.engagement4j.metrics.maps.MapStandardizer;
import org.engagement4j.metrics.transport.Emd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synthetic guided-play benchmark on a tiny setting (2 sessions of 60 s, 208 x 160 at
 * 6.25 fps): determinism, alignment with the preprocessor, the rules in the decoded pixels, the
 * ELAN files and the validation of a damaged folder.
 */
class GuidedPlayGeneratorTest {

    @TempDir
    static Path dir;

    static final GuidedPlayGenerator GEN = GuidedPlayGenerator.withDefaults().withSessions(2)
            .withSessionLengthMs(60_000).withCoders(2).withFrameSize(208, 160).withFps(6.25);

    static GeneratedBenchmark first;
    static GeneratedBenchmark second;
    static final List<long[]> PROGRESS = new ArrayList<>();
    static Clip clip1;

    @BeforeAll
    static void generate() throws IOException {
        first = GEN.generate(dir.resolve("a"), 42, (done, total) -> PROGRESS.add(
                new long[] {done, total}));
        second = GEN.withThreads(1).generate(dir.resolve("b"), 42, ProgressListener.NONE);
        clip1 = VideoPreprocessor.reference().preprocess(first.sessions().get(0).video(),
                dir.resolve("clips").resolve("a1"), ProgressListener.NONE);
    }

    @Test
    void layoutAndProgress() {
        assertEquals(List.of("syn01", "syn02"), first.sessionNames());
        assertEquals(List.of("coder1", "coder2"), first.coders());
        assertEquals(208, first.clipWidth());
        assertEquals(160, first.clipHeight());
        assertEquals(188, GEN.clipFrames(), "ceil(60 s x 3.125)");
        for (String f : List.of("benchmark.json", "videos/syn01.mp4", "truth/syn02.json",
                "evidence/syn01_task.npy", "evidence/syn02_social.npy")) {
            assertTrue(Files.isRegularFile(first.root().resolve(f)), f);
        }
        long last = -1;
        for (long[] p : PROGRESS) {
            assertTrue(p[0] >= last, "progress never decreases");
            assertEquals(120_000, p[1]);
            last = p[0];
        }
        assertEquals(120_000, last);
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")),
                    "no temporary folder left");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sameSeedGivesIdenticalFilesAndFrames() throws IOException {
        Path a = first.root();
        Path b = second.root();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(a)) {
            s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".mp4"))
                    .forEach(files::add);
        }
        assertEquals(1 + 2 + 4 + 4, files.size(), files.toString());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f))),
                    "differs: " + a.relativize(f));
        }
        Clip clip2 = VideoPreprocessor.reference().preprocess(second.sessions().get(0).video(),
                dir.resolve("clips").resolve("b1"), ProgressListener.NONE);
        assertEquals(clip1.frames(), clip2.frames());
        assertArrayEquals(clip1.snippet(0, clip1.frames()), clip2.snippet(0, clip2.frames()));
        GeneratedBenchmark other = GEN.generate(dir.resolve("c"), 43, ProgressListener.NONE);
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(first.sessions().get(0).truth()),
                Files.readAllBytes(other.sessions().get(0).truth())), "another seed differs");
    }

    @Test
    void preprocessedClipMatchesTheMasks() throws IOException {
        GeneratedSession s = first.sessions().get(0);
        assertEquals(GEN.clipFrames(), clip1.frames());
        assertEquals(s.clipFrames(), clip1.frames());
        assertEquals(160, clip1.height());
        assertEquals(208, clip1.width());
        int[] shape = Npy.read(s.taskEvidence()).shape();
        assertArrayEquals(new int[] {clip1.frames(), clip1.height(), clip1.width()}, shape);
        GeneratedBenchmark re = GeneratedBenchmark.read(first.root());
        assertEquals(first.sessions(), re.sessions());
        assertEquals(first.coders(), re.coders());
        assertEquals(42, re.seed());
    }

    /** Clip frame {@code k}'s time: the time of the video frame the preprocessor kept. */
    private static long ms(int k) {
        return GEN.sourceFrame(k) * 1000 * 100 / 625;
    }

    private static Task task(CoderAnnotations truth, long ms) {
        for (Task t : Task.values()) {
            if (truth.taskSpan(t).orElseThrow().contains(ms)) {
                return t;
            }
        }
        return null;
    }

    @Test
    void socialRuleIsInThePixelsUnderTheMask() throws IOException {
        GeneratedSession s = first.sessions().get(0);
        CoderAnnotations truth = s.readTruth();
        Volume mask = EvidenceMasks.of(first).snippet("syn01", Variable.SOCIAL_ENGAGEMENT, 0,
                clip1.frames());
        double[] sum = new double[2];
        int[] n = new int[2];
        for (int k = 0; k < clip1.frames(); k++) {
            long t = ms(k);
            Task task = task(truth, t);
            int e = task != null && truth.isEngaged(task, Variable.SOCIAL_ENGAGEMENT, t) ? 1 : 0;
            // the half of the head box facing the experimenter (right)
            int x0 = Integer.MAX_VALUE;
            int x1 = -1;
            for (int y = 0; y < 160; y++) {
                for (int x = 0; x < 208; x++) {
                    if (mask.get(k, y, x) > 0) {
                        x0 = Math.min(x0, x);
                        x1 = Math.max(x1, x);
                    }
                }
            }
            assertTrue(x1 > x0 + 20, "head mask is tens of pixels wide in frame " + k);
            double v = 0;
            int c = 0;
            for (int y = 0; y < 160; y++) {
                for (int x = (x0 + x1) / 2 + 2; x <= x1 - 3; x++) {
                    if (mask.get(k, y, x) > 0) {
                        v += clip1.value(k, y, x, 0) + clip1.value(k, y, x, 1)
                                + clip1.value(k, y, x, 2);
                        c++;
                    }
                }
            }
            sum[e] += v / c / 3;
            n[e]++;
        }
        assertTrue(n[0] > 10 && n[1] > 10, "both states occur: " + n[0] + ", " + n[1]);
        double off = sum[0] / n[0];
        double on = sum[1] / n[1];
        assertTrue(on > off + 40, "face side brighter when engaged: " + on + " vs " + off);
    }

    @Test
    void toyMovesOnlyWhenTaskEngaged() throws IOException {
        GeneratedSession s = first.sessions().get(0);
        CoderAnnotations truth = s.readTruth();
        Volume mask = EvidenceMasks.of(first).snippet("syn01", Variable.TASK_ENGAGEMENT, 0,
                clip1.frames());
        double[] diff = new double[2];
        int[] n = new int[2];
        for (int k = 1; k < clip1.frames(); k++) {
            Task a = task(truth, ms(k - 1));
            Task b = task(truth, ms(k));
            if (a == null || a != b) {
                continue;
            }
            boolean ea = truth.isEngaged(a, Variable.TASK_ENGAGEMENT, ms(k - 1));
            boolean eb = truth.isEngaged(a, Variable.TASK_ENGAGEMENT, ms(k));
            if (ea != eb) {
                continue;
            }
            double d = 0;
            int c = 0;
            // The toy's part of the scene: right of the infant's resting hand.
            for (int y = 0; y < 160; y++) {
                for (int x = 80; x < 208; x++) {
                    if (mask.get(k, y, x) > 0 || mask.get(k - 1, y, x) > 0) {
                        for (int ch = 0; ch < 3; ch++) {
                            d += Math.abs(clip1.value(k, y, x, ch) - clip1.value(k - 1, y, x, ch));
                        }
                        c++;
                    }
                }
            }
            diff[ea ? 1 : 0] += d / c / 3;
            n[ea ? 1 : 0]++;
        }
        assertTrue(n[0] > 5 && n[1] > 5, "both states occur: " + n[0] + ", " + n[1]);
        double still = diff[0] / n[0];
        double moving = diff[1] / n[1];
        assertTrue(moving > 3 * still && moving > 8, "toy moves: " + moving + " vs " + still);
    }

    /** The shaking shaker's yellow pixels lie inside the task mask of the very frame kept. */
    @Test
    void taskMaskFollowsTheShakenToyFrameByFrame() throws IOException {
        CoderAnnotations truth = first.sessions().get(0).readTruth();
        Volume mask = EvidenceMasks.of(first).snippet("syn01", Variable.TASK_ENGAGEMENT, 0,
                clip1.frames());
        long inside = 0;
        long outside = 0;
        int frames = 0;
        for (int k = 0; k < clip1.frames(); k++) {
            long t = ms(k);
            if (task(truth, t) != Task.SHAKER
                    || !truth.isEngaged(Task.SHAKER, Variable.TASK_ENGAGEMENT, t)) {
                continue;
            }
            frames++;
            for (int y = 0; y < 160; y++) {
                for (int x = 0; x < 208; x++) {
                    // the shaker's yellow (245, 215, 30), not the ochre clothes (220, 170, 40)
                    if (clip1.value(k, y, x, 0) > 215 && clip1.value(k, y, x, 1) > 192
                            && clip1.value(k, y, x, 2) < 90) {
                        if (mask.get(k, y, x) > 0) {
                            inside++;
                        } else {
                            outside++;
                        }
                    }
                }
            }
        }
        assertTrue(frames > 5 && inside > frames * 50L, frames + " frames, " + inside);
        assertTrue(outside * 200 < inside, "yellow outside the mask: " + outside + " of "
                + (inside + outside));
    }

    /**
     * The network sees the centre 160 x 160 crop of the 208 x 160 clip: no evidence may lie in
     * the 24 columns cut on either side, nor within a margin of 8 columns of them.
     */
    /**
     * What the benchmark is for beyond the demo: a "method" that looks where the evidence is
     * scores better than one that looks elsewhere (here the mirror image of the same map), on the
     * paper's metric after the paper's standardisation.
     */
    @Test
    void aMapThatIgnoresTheEvidenceIsCaught() throws IOException {
        EvidenceMasks masks = EvidenceMasks.of(first);
        String session = first.sessions().get(0).name();
        MapStandardizer std = MapStandardizer.reference();
        for (Variable v : Variable.values()) {
            Volume evidence = masks.snippet(session, v, 40, 15);
            int t = evidence.frames();
            int h = evidence.height();
            int w = evidence.width();
            double[] mirrored = new double[t * h * w];
            for (int f = 0; f < t; f++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        mirrored[(f * h + y) * w + x] = evidence.get(f, h - 1 - y, w - 1 - x);
                    }
                }
            }
            Volume human = std.standardize(evidence, MapKind.FINE);
            double onTarget = Emd.exact().perFrame(human, human).mean().orElseThrow();
            double elsewhere = Emd.exact().perFrame(human,
                    std.standardize(Volume.of(mirrored, t, h, w), MapKind.FINE)).mean().orElseThrow();
            assertEquals(0, onTarget, 1e-9, v.paperName());
            assertTrue(elsewhere > 5, String.format(Locale.ROOT,
                    "%s: a map looking elsewhere scores EMD %.3f", v.paperName(), elsewhere));
        }
    }

    @Test
    void evidenceLiesInsideTheCentreCropWithAMargin() throws IOException {
        int cut = (first.clipWidth() - TestTransform.SIZE) / 2;
        assertEquals(24, cut);
        int margin = 8;
        for (GeneratedSession s : first.sessions()) {
            for (Variable v : Variable.values()) {
                Volume m = Npy.readVolume(s.evidence(v));
                long inside = 0;
                for (int k = 0; k < m.shape()[0]; k++) {
                    for (int y = 0; y < first.clipHeight(); y++) {
                        for (int x = 0; x < first.clipWidth(); x++) {
                            boolean edge = x < cut + margin
                                    || x >= first.clipWidth() - cut - margin;
                            if (m.get(k, y, x) > 0) {
                                assertTrue(!edge, String.format(Locale.ROOT,
                                        "%s %s: evidence at column %d, frame %d, outside the"
                                                + " crop's columns [%d, %d)", s.name(), v, x, k,
                                        cut + margin, first.clipWidth() - cut - margin));
                                inside++;
                            }
                        }
                    }
                }
                assertTrue(inside > 100L * m.shape()[0], s.name() + " " + v + ": " + inside);
            }
        }
    }

    /** The finished benchmark folder has the permissions of any new folder, not owner-only. */
    @Test
    void benchmarkFolderGetsTheUsualPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path fresh = Files.createDirectory(dir.resolve("fresh"));
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(fresh);
        assertEquals(usual, Files.getPosixFilePermissions(first.root()));
        assertEquals(usual, Files.getPosixFilePermissions(first.root().resolve("evidence")));
    }

    @Test
    void evidenceMasksMatchTheFileAndCheckRanges() throws IOException {
        GeneratedSession s = first.sessions().get(1);
        Volume all = Npy.readVolume(s.socialEvidence());
        Volume part = EvidenceMasks.of(first).snippet("syn02", Variable.SOCIAL_ENGAGEMENT, 30, 15);
        assertArrayEquals(new int[] {15, 160, 208}, part.shape());
        for (int t = 0; t < 15; t++) {
            assertArrayEquals(all.frame(30 + t), part.frame(t));
        }
        assertTrue(part.sum() > 15 * 400, "the head covers hundreds of pixels per frame");
        EvidenceMasks m = EvidenceMasks.of(first);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.snippet("syn02", Variable.TASK_ENGAGEMENT, 180, 15));
        assertTrue(e.getMessage().contains("188"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> m.snippet("syn09", Variable.TASK_ENGAGEMENT, 0, 15));
    }

    @Test
    void sessionLoaderReadsTheCoders() throws IOException {
        SessionFolder f = SessionLoader.create().load(first.elanFolder());
        assertEquals(2, f.sessions().size());
        for (CodedSession c : f.sessions()) {
            assertEquals(List.of("coder1", "coder2"), c.coderNames());
        }
        assertEquals(first.sessions().get(0).elanFiles().size(), 2);
    }

    @Test
    void refusesANonEmptyFolderUnlessOverwriting() throws IOException {
        Path out = dir.resolve("full");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "x");
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> GEN.withSessions(1).generate(out, 1, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertTrue(Files.exists(out.resolve("keep.txt")));
        GeneratedBenchmark b = GEN.withSessions(1).withOverwrite(true).generate(out, 1,
                ProgressListener.NONE);
        assertTrue(Files.notExists(out.resolve("keep.txt")));
        assertEquals(1, GeneratedBenchmark.read(b.root()).sessions().size());
    }

    @Test
    void readRejectsADamagedFolderNamingTheFile() throws IOException {
        Path copy = dir.resolve("damaged");
        copyTree(first.root(), copy);
        Path mask = copy.resolve("evidence/syn02_task.npy");
        byte[] bytes = Files.readAllBytes(mask);
        Files.write(mask, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> GeneratedBenchmark.read(copy));
        assertTrue(bad.getMessage().contains("syn02_task.npy"), bad.getMessage());

        Files.write(mask, bytes);
        bytes[bytes.length - 1] = 7;
        Files.write(copy.resolve("evidence/syn01_social.npy"), bytes);
        bad = assertThrows(IllegalArgumentException.class, () -> GeneratedBenchmark.read(copy));
        assertTrue(bad.getMessage().contains("syn01_social.npy")
                && bad.getMessage().contains("0 or 1"), bad.getMessage());
        Files.copy(first.root().resolve("evidence/syn01_social.npy"),
                copy.resolve("evidence/syn01_social.npy"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Files.writeString(copy.resolve("truth/syn01.json"), "{\"tasks\": [");
        bad = assertThrows(IllegalArgumentException.class, () -> GeneratedBenchmark.read(copy));
        assertTrue(bad.getMessage().contains("syn01.json"), bad.getMessage());

        Files.delete(copy.resolve("truth/syn01.json"));
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> GeneratedBenchmark.read(copy));
        assertTrue(missing.getMessage().contains("syn01.json"), missing.getMessage());

        Files.writeString(copy.resolve("benchmark.json"), "[]");
        bad = assertThrows(IllegalArgumentException.class, () -> GeneratedBenchmark.read(copy));
        assertTrue(bad.getMessage().contains("benchmark.json"), bad.getMessage());
    }

    @Test
    void settingsAreChecked() {
        GuidedPlayGenerator g = GuidedPlayGenerator.withDefaults();
        assertThrows(IllegalArgumentException.class, () -> g.withFrameSize(415, 320));
        assertThrows(IllegalArgumentException.class, () -> g.withFps(2));
        assertThrows(IllegalArgumentException.class, () -> g.withFps(29.9701));
        assertThrows(IllegalArgumentException.class, () -> g.withSessionLengthMs(59_999));
        assertThrows(IllegalArgumentException.class, () -> g.withSessions(0));
        assertThrows(IllegalArgumentException.class, () -> g.withCoders(11));
        assertArrayEquals(new int[] {208, 160}, g.clipSize());
        assertEquals(282, g.clipFrames(), "ceil(90 s x 3.125)");
        assertEquals(8, g.sourceFrame(1), "25 fps: frame 8 is at 320 ms");
        assertEquals(4, GEN.sourceFrame(2), "6.25 fps: 640 ms is frame 4");
        assertEquals(2, GEN.sourceFrame(1), "6.25 fps: 320 ms is frame 2");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
