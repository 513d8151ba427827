package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.internal.Seeds;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.sampling.Snippet;
import org.engagement4j.core.sampling.SnippetSampler;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.TestTransform;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ProgressListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baking a narrow mc3_18's embeddings of synthetic clips, resuming, refusing a foreign file. */
class EmbeddingBakerTest {

    private static final long SEED = 77;
    private static EngagementClassifier encoder;
    private static List<CodedSession> sessions;
    private static Map<String, Clip> clips;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        encoder = TrainingFixtures.encoder(5);
        sessions = List.of(TrainingFixtures.session("s1", 1, false),
                TrainingFixtures.session("s2", 2, true), TrainingFixtures.session("s0", 3, false));
        clips = TrainingFixtures.clips(sessions);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    /** 3 snippets per session, 4 passes, a 16 x 16 centre crop flipped at random. */
    private static EmbeddingBaker baker() {
        return EmbeddingBaker.evaluation()
                .withTransform(TestTransform.of(16).withFlipProbability(0.5))
                .withSampler(SnippetSampler.withDefaults().withSnippetsPerSession(3))
                .withPasses(4).withBatchSize(4);
    }

    private EmbeddingBaker.BakeResult bake(EmbeddingBaker b, Path file, long seed,
            ProgressListener l) throws Exception {
        return b.bake(encoder, sessions, Task.DOLLS, ClipSource.of(clips),
                TrainingFixtures.NORM, seed, file, l);
    }

    @Test
    void rowsAreThePlansSnippetsWithTheirEmbeddings() throws Exception {
        Path file = tmp.resolve("bake.e4jemb");
        List<long[]> reports = new ArrayList<>();
        EmbeddingBaker.BakeResult r = bake(baker(), file, SEED,
                (done, total) -> reports.add(new long[] {done, total}));
        assertFalse(r.resumed());
        assertEquals(0, r.resumedPasses());
        assertEquals(4 * 3 * 3, r.rows());
        long[] last = reports.get(reports.size() - 1);
        assertEquals(last[1], last[0]);
        assertEquals(36, last[1]);

        BakeHeader h = BakedEmbeddings.readHeader(file);
        assertTrue(h.isComplete());
        assertEquals(16, h.dimension());
        assertEquals(List.of("s0", "s1", "s2"), h.sessions());
        assertEquals(List.of("A", "B", "C"), h.coders());
        assertEquals(encoder.provenance().modelSha256(), h.modelSha256());

        EmbeddingTable t = BakedEmbeddings.read(file);
        assertEquals(36, t.size());
        int row = 0;
        for (int p = 0; p < 4; p++) {
            for (Snippet s : baker().sampler().plan(sessions, Task.DOLLS, p, SEED).snippets()) {
                assertEquals(p, t.pass(row));
                assertEquals(s.session(), t.session(row));
                assertEquals(s.coder(), t.coder(row));
                assertEquals(s.startMs(), t.startMs(row));
                assertEquals(s.startFrame(), t.startFrame(row));
                assertEquals(s.index(), t.snippet(row));
                for (Variable v : Variable.values()) {
                    assertEquals(s.label(v), t.label(row, v));
                }
                if (row % 7 == 0) {
                    // Recompute this row's input by hand and embed it alone.
                    Clip c = clips.get(s.session());
                    ClipTensor raw = TrainingFixtures.NORM.apply(
                            c.snippet(s.startFrame(), s.frameCount()), s.frameCount(),
                            c.height(), c.width());
                    ClipTensor x = baker().transform().apply(raw, Seeds.rng(SEED,
                            "transform", Integer.toString(p), s.session(),
                            Integer.toString(s.index())));
                    float[] expected = encoder.embed(ClipBatch.of(x)).get(0).values();
                    float[] got = t.embedding(row);
                    for (int j = 0; j < expected.length; j++) {
                        assertEquals(expected[j], got[j], 1e-5, "row " + row + " feature " + j);
                    }
                }
                row++;
            }
        }
        // A finished file is left alone.
        EmbeddingBaker.BakeResult again = bake(baker(), file, SEED, ProgressListener.NONE);
        assertTrue(again.resumed());
        assertEquals(4, again.resumedPasses());
        assertEquals(t, BakedEmbeddings.read(file));
    }

    @Test
    void anInterruptedBakeResumesToTheSameFile() throws Exception {
        Path whole = tmp.resolve("whole.e4jemb");
        bake(baker(), whole, SEED, ProgressListener.NONE);

        Path cut = tmp.resolve("cut.e4jemb");
        AtomicLong calls = new AtomicLong();
        RuntimeException crash = new RuntimeException("simulated crash");
        // Reports: one at the start, then one per batch of 4; pass 0 and 1 have 9 snippets each
        // (3 batches); the 9th report follows the second batch of pass 2, already appended.
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> bake(baker(), cut,
                SEED, (done, total) -> {
                    if (calls.incrementAndGet() == 9) {
                        throw crash;
                    }
                }));
        assertEquals(crash, thrown);
        BakeHeader h = BakedEmbeddings.readHeader(cut);
        assertEquals(2, h.completedPasses());
        assertEquals(18, h.rows());
        long counted = Files.size(cut) - (Files.size(whole)
                - 36L * BakedEmbeddings.rowBytes(16)) - 18L * BakedEmbeddings.rowBytes(16);
        assertEquals(8L * BakedEmbeddings.rowBytes(16), counted, "the torn pass's two batches");
        assertEquals(18, BakedEmbeddings.read(cut).size());

        List<long[]> reports = new ArrayList<>();
        EmbeddingBaker.BakeResult r = bake(baker(), cut, SEED,
                (done, total) -> reports.add(new long[] {done, total}));
        assertTrue(r.resumed());
        assertEquals(2, r.resumedPasses());
        assertEquals(18, reports.get(0)[0], "progress starts at the completed passes");
        assertEquals(BakedEmbeddings.read(whole), BakedEmbeddings.read(cut));
        assertEquals(Files.size(whole), Files.size(cut));
    }

    @Test
    void bytesAfterTheCountedRowsAreIgnoredAndCutOnResume() throws Exception {
        Path file = tmp.resolve("torn.e4jemb");
        EmbeddingBaker two = baker().withPasses(2);
        bake(two, file, SEED, ProgressListener.NONE);
        EmbeddingTable before = BakedEmbeddings.read(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
        }
        assertEquals(before, BakedEmbeddings.read(file));
        // Two passes planned and done: the resumed bake has nothing to add but trims the tail.
        bake(two, file, SEED, ProgressListener.NONE);
        assertEquals(before, BakedEmbeddings.read(file));
    }

    @Test
    void aFileOfAnotherBakeIsRefusedNamingTheField() throws Exception {
        Path file = tmp.resolve("other.e4jemb");
        bake(baker().withPasses(1), file, SEED, ProgressListener.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bake(baker().withPasses(1), file, SEED + 1, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("file vs this run: seed: " + SEED + " vs " + (SEED + 1)),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bake(baker().withPasses(1)
                .withTransform(TestTransform.of(16)), file, SEED, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("transform"), e.getMessage());
    }

    @Test
    void aClipShorterThanTheSpanIsAClearError() throws Exception {
        Map<String, Clip> shortClips = new java.util.HashMap<>(clips);
        byte[] rgb = new byte[40 * TrainingFixtures.HEIGHT * TrainingFixtures.WIDTH * 3];
        shortClips.put("s1", Clip.of(rgb, 40, TrainingFixtures.HEIGHT, TrainingFixtures.WIDTH,
                TrainingFixtures.FPS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> baker().withPasses(1).bake(encoder, sessions, Task.DOLLS,
                        ClipSource.of(shortClips), TrainingFixtures.NORM, SEED,
                        tmp.resolve("short.e4jemb"), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("session s1") && e.getMessage().contains("40 frames"),
                e.getMessage());
    }

    @Test
    void notABakeFileIsRefused() throws IOException {
        Path f = tmp.resolve("x.e4jemb");
        Files.writeString(f, "hello, this is not a bake file at all, no");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BakedEmbeddings.read(f));
        assertTrue(e.getMessage().contains("E4JEMBED"), e.getMessage());
    }

    @Test
    void labelledSetsFollowTheTable() throws Exception {
        Path file = tmp.resolve("l.e4jemb");
        bake(baker().withPasses(2), file, SEED, ProgressListener.NONE);
        EmbeddingTable t = BakedEmbeddings.read(file);
        LabelledEmbeddings social = t.labelled(Variable.SOCIAL_ENGAGEMENT);
        assertEquals(t.size(), social.size());
        for (int i = 0; i < t.size(); i++) {
            assertEquals(t.label(i, Variable.SOCIAL_ENGAGEMENT), social.label(i));
        }
        EmbeddingTable s2 = t.sessions(List.of("s2"));
        EmbeddingTable rest = t.sessions(List.of("s0", "s1"));
        assertEquals(t.size(), s2.size() + rest.size());
        EmbeddingTable joined = EmbeddingTable.concat(List.of(rest, s2), "joined");
        assertEquals(t.size(), joined.size());
        assertArrayEquals(s2.embedding(0), joined.embedding(rest.size()));
        assertEquals("s2", joined.session(rest.size()));
    }
}
