package org.engagement4j.core.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.engagement4j.core.Engagement4j;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.internal.Seeds;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.Embedding;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.sampling.Snippet;
import org.engagement4j.core.sampling.SnippetPlan;
import org.engagement4j.core.sampling.SnippetSampler;
import org.engagement4j.core.transform.ClipAugmentation;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.transform.TestTransform;
import org.engagement4j.core.transform.TrainAugmentation;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bakes embeddings for head training (REFERENCE.md §6; the reference's
 * {@code bake_samples.py}): the encoder, frozen, runs over {@code N} passes (100 by default) of
 * the snippet sampler, each snippet normalised with the training folds' statistics and then
 * transformed at random, and every pass is appended to a {@link BakedEmbeddings bake file}.
 *
 * <p>Pass {@code p} uses the sampler's plan for epoch {@code p} and the given seed; snippet
 * {@code i} of session {@code s} in pass {@code p} is transformed with a generator derived from
 * {@code (seed, p, s, i)}, so every pass, and every row, is the same whatever happened before it:
 * an interrupted bake that is resumed writes exactly the file an uninterrupted one would (given a
 * deterministic encoder: ONNX Runtime on the CPU is). The reference baked two kinds per fold:
 * {@link #training()} (the training augmentation, for the folds a head trains on) and
 * {@link #evaluation()} (the test transform: centre crop with a random flip, for validation and
 * test folds).
 *
 * <p><b>Resuming.</b> If the file exists, its header must describe the same bake (task, sessions,
 * coders, seed, sampler, shape, transform, model hash, normalisation, dimension, passes); the
 * passes it holds are kept, a torn pass is cut off, and baking continues with the next pass. A
 * file that describes another bake is refused with the differing fields named.
 *
 * <p><b>The model</b> must accept the transformed size (112 x 112 for the training augmentation,
 * 160 x 160 for the test transform): an ONNX export with fixed height and width 160 cannot bake
 * training passes ({@link EngagementClassifier} then throws an {@link IllegalArgumentException}
 * naming the dimension).
 *
 * <p>Instances are immutable and thread-safe; one bake runs on the calling thread (the encoder
 * uses its own threads).
 *
 * @since 0.1.0
 */
public final class EmbeddingBaker {

    /** Passes of the reference. */
    public static final int DEFAULT_PASSES = 100;
    /** Clips per encoder call, as the reference's loader. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingBaker.class);

    private final SnippetSampler sampler;
    private final ClipAugmentation transform;
    private final int passes;
    private final int batchSize;

    private EmbeddingBaker(SnippetSampler sampler, ClipAugmentation transform, int passes,
            int batchSize) {
        this.sampler = sampler;
        this.transform = transform;
        this.passes = passes;
        this.batchSize = batchSize;
    }

    /**
     * @return a baker with the reference's training augmentation
     *     ({@link TrainAugmentation#reference()}), the reference sampler, 100 passes, batch 16
     */
    public static EmbeddingBaker training() {
        return new EmbeddingBaker(SnippetSampler.withDefaults(), TrainAugmentation.reference(),
                DEFAULT_PASSES, DEFAULT_BATCH_SIZE);
    }

    /**
     * @return a baker with the reference's test transform ({@link TestTransform#reference()}:
     *     centre crop 160, horizontal flip with probability 0.5), the reference sampler, 100
     *     passes, batch 16
     */
    public static EmbeddingBaker evaluation() {
        return new EmbeddingBaker(SnippetSampler.withDefaults(), TestTransform.reference(),
                DEFAULT_PASSES, DEFAULT_BATCH_SIZE);
    }

    /**
     * @param sampler the snippet sampler (snippets per session, shape, masks)
     * @return a copy with that sampler
     */
    public EmbeddingBaker withSampler(SnippetSampler sampler) {
        return new EmbeddingBaker(Objects.requireNonNull(sampler, "sampler"), transform, passes,
                batchSize);
    }

    /**
     * @param transform applied to each normalised snippet before the encoder; its
     *     {@code toString()} is recorded in the file header and identifies the bake on resume
     * @return a copy with that transform
     */
    public EmbeddingBaker withTransform(ClipAugmentation transform) {
        return new EmbeddingBaker(sampler, Objects.requireNonNull(transform, "transform"),
                passes, batchSize);
    }

    /**
     * @param n passes, at least 1
     * @return a copy with that many passes
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public EmbeddingBaker withPasses(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "passes: %d, must be at least 1", n));
        }
        return new EmbeddingBaker(sampler, transform, n, batchSize);
    }

    /**
     * @param n clips per encoder call, at least 1 (memory, not results: embeddings do not depend
     *     on it beyond ONNX Runtime's rounding)
     * @return a copy with that batch size
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public EmbeddingBaker withBatchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "batch size: %d, must be at least 1", n));
        }
        return new EmbeddingBaker(sampler, transform, passes, n);
    }

    /** @return the sampler */
    public SnippetSampler sampler() {
        return sampler;
    }

    /** @return the transform */
    public ClipAugmentation transform() {
        return transform;
    }

    /** @return the number of passes */
    public int passes() {
        return passes;
    }

    /** @return the batch size */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Bakes, or resumes, a bake file.
     *
     * @param encoder the classifier whose encoder output ({@link EngagementClassifier#embed})
     *     is baked
     * @param sessions the sessions to sample (e.g. one fold)
     * @param task the task
     * @param clips each session's preprocessed recording
     * @param normalization the training folds' statistics
     * @param seed the seed of the snippet plans and the transform
     * @param file the bake file, created or resumed
     * @param progress receives {@code (snippets embedded, snippets of all passes)}, also for the
     *     passes found complete on resume
     * @return what was done
     * @throws IOException if a clip or the file cannot be read or written
     * @throws ModelException if the encoder fails or has no embedding output
     * @throws IllegalArgumentException if there is no session, the file belongs to another bake
     *     (the differing fields are named), a snippet's frames lie outside its clip, the clip's
     *     frame rate differs from the sampler's, or the transformed clips do not fit the model
     */
    public BakeResult bake(EngagementClassifier encoder, Collection<CodedSession> sessions,
            Task task, ClipSource clips, Normalization normalization, long seed, Path file,
            ProgressListener progress) throws IOException, ModelException {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(clips, "clips");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(progress, "progress");
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "bake %s: no session to sample", file));
        }
        int d = encoder.signature().embeddingSize();
        if (d < 1) {
            throw new ModelException(ModelException.Reason.UNSUPPORTED_MODEL, String.format(
                    Locale.ROOT, "bake %s: the model has no encoder output to bake (see"
                            + " EngagementClassifier.embed)", file));
        }
        TreeSet<String> sessionNames = new TreeSet<>();
        TreeSet<String> coderNames = new TreeSet<>();
        for (CodedSession s : sessions) {
            sessionNames.add(s.session());
            coderNames.addAll(s.coderNames());
        }
        BakeHeader expected = new BakeHeader(BakedEmbeddings.FORMAT_VERSION, task, d, passes, 0,
                0, new ArrayList<>(sessionNames), new ArrayList<>(coderNames), seed,
                sampler.snippetsPerSession(), sampler.maxRedraws(), sampler.maskPolicy().name(),
                sampler.shape(), transform.toString(), encoder.provenance().modelSha256(),
                normalization, Engagement4j.VERSION,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        boolean resumed = Files.exists(file);
        if (!resumed) {
            BakedEmbeddings.Writer.create(file, expected);
        }
        List<SnippetPlan> plans = new ArrayList<>(passes);
        long total = 0;
        for (int p = 0; p < passes; p++) {
            SnippetPlan plan = sampler.plan(sessions, task, p, seed);
            plans.add(plan);
            total += plan.snippets().size();
        }
        Map<String, Integer> sIndex = indexOf(expected.sessions());
        Map<String, Integer> cIndex = indexOf(expected.coders());
        try (BakedEmbeddings.Writer w = BakedEmbeddings.Writer.open(file)) {
            List<String> diff = w.header().differences(expected);
            if (!diff.isEmpty()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "bake file %s was made by another bake (file vs this run: %s); delete it"
                                + " or choose another file", file, String.join("; ", diff)));
            }
            int skipped = w.completedPasses();
            long done = 0;
            for (int p = 0; p < skipped; p++) {
                done += plans.get(p).snippets().size();
            }
            if (skipped > 0) {
                LOG.info("bake {}: {} of {} passes already complete, resuming", file, skipped,
                        passes);
            }
            progress.progress(done, total);
            int rowBytes = BakedEmbeddings.rowBytes(d);
            for (int p = skipped; p < passes; p++) {
                List<Snippet> snippets = plans.get(p).snippets();
                for (int from = 0; from < snippets.size(); from += batchSize) {
                    List<Snippet> part = snippets.subList(from,
                            Math.min(snippets.size(), from + batchSize));
                    List<Embedding> emb = embed(encoder, part, clips, normalization, seed, p);
                    ByteBuffer buf = ByteBuffer.allocate(part.size() * rowBytes)
                            .order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < part.size(); i++) {
                        Snippet s = part.get(i);
                        float[] x = emb.get(i).values();
                        if (x.length != d) {
                            throw new ModelException(ModelException.Reason.UNSUPPORTED_MODEL,
                                    String.format(Locale.ROOT, "bake %s: the encoder gave %d"
                                            + " values, its signature says %d", file, x.length,
                                            d));
                        }
                        buf.putInt(p).putInt(sIndex.get(s.session()))
                                .putInt(cIndex.get(s.coder())).putInt(s.index())
                                .putLong(s.startMs()).putInt(s.startFrame())
                                .put((byte) (s.label(Variable.TASK_ENGAGEMENT) ? 1 : 0))
                                .put((byte) (s.label(Variable.SOCIAL_ENGAGEMENT) ? 1 : 0))
                                .putShort((short) 0);
                        for (float v : x) {
                            buf.putFloat(v);
                        }
                    }
                    buf.flip();
                    w.append(buf);
                    done += part.size();
                    progress.progress(done, total);
                }
                w.commitPass();
                LOG.debug("bake {}: pass {} of {} written ({} rows in all)", file, p + 1, passes,
                        w.rows());
            }
            return new BakeResult(file, passes, skipped, w.rows(), resumed);
        }
    }

    private List<Embedding> embed(EngagementClassifier encoder, List<Snippet> part,
            ClipSource clips, Normalization normalization, long seed, int pass)
            throws IOException, ModelException {
        List<ClipTensor> tensors = new ArrayList<>(part.size());
        for (Snippet s : part) {
            Clip clip = clips.clip(s.session());
            if (Math.abs(clip.fps() - sampler.shape().fps()) > 1e-9 * sampler.shape().fps()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "clip of session %s runs at %s fps, the sampler's snippets assume %s fps",
                        s.session(), clip.fps(), sampler.shape().fps()));
            }
            if (s.endFrame() > clip.frames()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "snippet %d of session %s (coder %s, %d ms) needs frames [%d, %d) but the"
                                + " clip has %d frames; is the recording shorter than the"
                                + " annotated task span?", s.index(), s.session(), s.coder(),
                        s.startMs(), s.startFrame(), s.endFrame(), clip.frames()));
            }
            ClipTensor raw = normalization.apply(clip.snippet(s.startFrame(), s.frameCount()),
                    s.frameCount(), clip.height(), clip.width());
            tensors.add(transform.apply(raw, Seeds.rng(seed, "transform",
                    Integer.toString(pass), s.session(), Integer.toString(s.index()))));
        }
        try {
            return encoder.embed(ClipBatch.of(tensors));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "pass %d, sessions %s: %s", pass, sessionsOf(part), e.getMessage()), e);
        }
    }

    private static List<String> sessionsOf(List<Snippet> part) {
        return new ArrayList<>(new TreeSet<>(part.stream().map(Snippet::session).toList()));
    }

    private static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EmbeddingBaker[%d passes, batch %d, %s]", passes,
                batchSize, transform);
    }

    /**
     * What one call of {@link #bake} did.
     *
     * @param file the bake file
     * @param passes the passes the file now holds (all planned passes)
     * @param resumedPasses the passes that were already complete and were kept
     * @param rows the rows the file now holds
     * @param resumed whether the file existed before the call
     * @since 0.1.0
     */
    public record BakeResult(Path file, int passes, int resumedPasses, long rows,
            boolean resumed) {

        /**
         * @throws NullPointerException if {@code file} is null
         */
        public BakeResult {
            Objects.requireNonNull(file, "file");
        }
    }
}
