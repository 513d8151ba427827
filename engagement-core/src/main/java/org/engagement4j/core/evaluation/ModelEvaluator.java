package org.engagement4j.core.evaluation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.model.SnippetEncoder;
import org.engagement4j.core.sampling.EvaluationWindow;
import org.engagement4j.core.sampling.Snippet;
import org.engagement4j.core.training.ClipSource;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.metrics.agreement.ConfusionMatrix;

/**
 * Runs a trained classifier over evaluation windows or sampled snippets and returns its labels:
 * the argmax of the two logits (class 1 = engaged; class 0 on a tie). Each window is encoded
 * deterministically by a {@link SnippetEncoder} (training folds' normalisation, centre crop 160,
 * 15 frames; no random flip).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ModelEvaluator {

    /** Clips per model call by default. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private final SnippetEncoder encoder;
    private final int batchSize;

    private ModelEvaluator(SnippetEncoder encoder, int batchSize) {
        this.encoder = encoder;
        this.batchSize = batchSize;
    }

    /**
     * @param normalization the training folds' statistics stored with the model
     * @return an evaluator with the reference's test encoding ({@link SnippetEncoder#of}) and
     *     batches of {@value #DEFAULT_BATCH_SIZE}
     */
    public static ModelEvaluator of(Normalization normalization) {
        return new ModelEvaluator(SnippetEncoder.of(normalization), DEFAULT_BATCH_SIZE);
    }

    /**
     * @param encoder how frames become network input
     * @return a copy with that encoder
     */
    public ModelEvaluator withEncoder(SnippetEncoder encoder) {
        return new ModelEvaluator(Objects.requireNonNull(encoder, "encoder"), batchSize);
    }

    /**
     * @param n clips per model call, at least 1
     * @return a copy with that batch size
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public ModelEvaluator withBatchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "batch size: %d, must be at least 1", n));
        }
        return new ModelEvaluator(encoder, n);
    }

    /** @return the encoder */
    public SnippetEncoder encoder() {
        return encoder;
    }

    /**
     * The machine's label of every window.
     *
     * @param model a 2-class classifier
     * @param windows the windows
     * @param clips the recordings
     * @param progress receives {@code (windows done, windows)}
     * @return 0 or 1 per window, in order
     * @throws IOException if a clip cannot be read
     * @throws ModelException if the model fails
     * @throws IllegalArgumentException if the model has not 2 classes, or a window's frame count
     *     differs from the encoder's or lies outside its clip
     */
    public int[] predictWindows(EngagementClassifier model, List<EvaluationWindow> windows,
            ClipSource clips, ProgressListener progress) throws IOException, ModelException {
        List<Frames> f = new ArrayList<>(windows.size());
        for (EvaluationWindow w : windows) {
            f.add(new Frames(w.session(), w.startFrame(), w.frameCount(),
                    "window " + w.index() + " of session " + w.session()));
        }
        return predict(model, f, clips, progress);
    }

    /**
     * The machine's label of every snippet.
     *
     * @param model a 2-class classifier
     * @param snippets the snippets, e.g. of some passes of the sampler over the test fold
     * @param clips the recordings
     * @param progress receives {@code (snippets done, snippets)}
     * @return 0 or 1 per snippet, in order
     * @throws IOException if a clip cannot be read
     * @throws ModelException if the model fails
     * @throws IllegalArgumentException as {@link #predictWindows}
     */
    public int[] predictSnippets(EngagementClassifier model, List<Snippet> snippets,
            ClipSource clips, ProgressListener progress) throws IOException, ModelException {
        List<Frames> f = new ArrayList<>(snippets.size());
        for (Snippet s : snippets) {
            f.add(new Frames(s.session(), s.startFrame(), s.frameCount(),
                    "snippet " + s.index() + " of session " + s.session()));
        }
        return predict(model, f, clips, progress);
    }

    /**
     * The confusion matrix of predictions against the snippets' coder labels.
     *
     * @param snippets the snippets
     * @param variable the variable predicted
     * @param predictions 0 or 1 per snippet
     * @return the matrix
     * @throws IllegalArgumentException if the lengths differ or there is no snippet
     */
    public static ConfusionMatrix confusion(List<Snippet> snippets, Variable variable,
            int[] predictions) {
        Objects.requireNonNull(snippets, "snippets");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(predictions, "predictions");
        if (snippets.size() != predictions.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d predictions for %d snippets", predictions.length, snippets.size()));
        }
        int[] labels = new int[snippets.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = snippets.get(i).label(variable) ? 1 : 0;
        }
        return ConfusionMatrix.of(labels, predictions);
    }

    private record Frames(String session, int start, int count, String what) {
    }

    private int[] predict(EngagementClassifier model, List<Frames> items, ClipSource clips,
            ProgressListener progress) throws IOException, ModelException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(clips, "clips");
        Objects.requireNonNull(progress, "progress");
        if (model.signature().classes() != 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the model has %d classes; engagement labels need a 2-class model (not"
                            + " engaged, engaged)", model.signature().classes()));
        }
        int[] out = new int[items.size()];
        progress.progress(0, items.size());
        for (int from = 0; from < items.size(); from += batchSize) {
            int to = Math.min(items.size(), from + batchSize);
            List<ClipTensor> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                Frames f = items.get(i);
                if (f.count() != encoder.windowFrames()) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s has %d frames, the encoder takes %d", f.what(), f.count(),
                            encoder.windowFrames()));
                }
                Clip clip = clips.clip(f.session());
                try {
                    batch.add(encoder.encode(clip, f.start()));
                } catch (IndexOutOfBoundsException e) {
                    throw new IllegalArgumentException(f.what() + ": " + e.getMessage(), e);
                }
            }
            float[][] logits = model.logits(ClipBatch.of(batch));
            for (int i = from; i < to; i++) {
                float[] z = logits[i - from];
                out[i] = z[1] > z[0] ? 1 : 0;
            }
            progress.progress(to, items.size());
        }
        return out;
    }

    @Override
    public String toString() {
        return "ModelEvaluator[" + encoder + ", batch " + batchSize + "]";
    }
}
