package org.engagement4j.core.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.video.ProgressListener;

/**
 * Scores a whole preprocessed recording with a sliding window: one probability per window and
 * engagement variable, optionally smoothed, and the spans judged engaged (the model's view of the
 * timeline that human coders annotate, REFERENCE.md §3 and §10).
 *
 * <h2>Windows</h2>
 * Window {@code k} starts at the nominal time {@code t_k = k * stride} ms, i.e. at frame
 * {@code int(t_k * fps / 1000)} (the reference's conversion, {@link SnippetEncoder#startFrame}),
 * and covers {@link WindowSource#windowFrames()} frames (15 frames = 4.8 s at 3.125 fps). Windows
 * are made while they fit inside the recording; a recording shorter than one window is refused.
 * The default stride is 1000 ms; a stride equal to the window's duration gives back-to-back
 * windows.
 *
 * <h2>Probabilities and smoothing</h2>
 * Each variable has its own classifier (one model per variable, as in the paper); the probability
 * of window {@code k} is {@link EngagementScore#probability()}, the softmax probability of the
 * decoder's target class ("engaged"). Optional smoothing is a centred moving average over
 * {@code w} windows ({@code w} odd): {@code s_k = mean(p_j : |j - k| <= (w - 1) / 2, 0 <= j < n)},
 * so near either end of the recording the mean is over the windows that exist (a truncated
 * window, never padding). {@code w = 1} (the default) leaves the probabilities unchanged.
 *
 * <h2>Engaged spans</h2>
 * Each window stands for the segment of time around its centre: the boundary between windows
 * {@code k - 1} and {@code k} is the midpoint of their centres; the first segment starts half a
 * stride before the first centre and the last ends half a stride after the last centre (clipped
 * to the recording). Segments therefore tile the scored time without gaps or overlaps; the first
 * and last half-windows of the recording, which no window is centred on, are not covered. A
 * segment is engaged when its (smoothed) probability is strictly above the threshold (default
 * 0.5, which for a two-class model agrees with the argmax label); the engaged spans are the union
 * of engaged segments, as an {@link IntervalSet} in milliseconds.
 *
 * <p>All models must take the same input, since they share the windows (e.g. the normalisation
 * statistics of the same training folds). Instances are immutable and thread-safe; the models'
 * own thread safety is that of {@link EngagementClassifier}.
 *
 * @since 0.1.0
 */
public final class TimelineScorer {

    private static final TimelineScorer DEFAULT = new TimelineScorer(1000, 1, 0.5, 8);

    private final long strideMs;
    private final int smoothing;
    private final double threshold;
    private final int batchSize;

    private TimelineScorer(long strideMs, int smoothing, double threshold, int batchSize) {
        this.strideMs = strideMs;
        this.smoothing = smoothing;
        this.threshold = threshold;
        this.batchSize = batchSize;
    }

    /** @return a scorer with stride 1000 ms, no smoothing, threshold 0.5, batches of 8 windows */
    public static TimelineScorer withDefaults() {
        return DEFAULT;
    }

    /**
     * @param ms the time between window starts, at least 1 ms
     * @return a scorer with that stride
     * @throws IllegalArgumentException if {@code ms} is below 1
     */
    public TimelineScorer withStrideMs(long ms) {
        if (ms < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "stride: %d ms, must be at least 1 ms", ms));
        }
        return new TimelineScorer(ms, smoothing, threshold, batchSize);
    }

    /**
     * @param windows the width of the centred moving average in windows: an odd number, at least
     *     1 (1 = no smoothing)
     * @return a scorer with that smoothing
     * @throws IllegalArgumentException if {@code windows} is even or below 1
     */
    public TimelineScorer withSmoothing(int windows) {
        if (windows < 1 || windows % 2 == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "smoothing: %d windows, must be an odd number >= 1 (1 = none)", windows));
        }
        return new TimelineScorer(strideMs, windows, threshold, batchSize);
    }

    /**
     * @param p the probability a segment must exceed to count as engaged, in [0, 1)
     * @return a scorer with that threshold
     * @throws IllegalArgumentException if {@code p} is not in [0, 1)
     */
    public TimelineScorer withThreshold(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "threshold: %s, must be in [0, 1)", p));
        }
        return new TimelineScorer(strideMs, smoothing, p, batchSize);
    }

    /**
     * @param windows the number of windows sent to a model in one run, at least 1 (more uses more
     *     memory: about 4.6 MB of input per 160 x 160 window)
     * @return a scorer with that batch size
     * @throws IllegalArgumentException if {@code windows} is below 1
     */
    public TimelineScorer withBatchSize(int windows) {
        if (windows < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "batch size: %d windows, must be at least 1", windows));
        }
        return new TimelineScorer(strideMs, smoothing, threshold, windows);
    }

    /** @return the stride in milliseconds */
    public long strideMs() {
        return strideMs;
    }

    /** @return the moving-average width in windows (1 = none) */
    public int smoothing() {
        return smoothing;
    }

    /** @return the engaged threshold */
    public double threshold() {
        return threshold;
    }

    /** @return the batch size in windows */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The first frame of every window of a recording.
     *
     * @param frames the recording's frames
     * @param fps its frame rate
     * @param windowFrames the frames of one window
     * @return the start frames, in order (empty when no window fits)
     * @throws IllegalArgumentException if {@code fps} is not finite and positive, or
     *     {@code windowFrames} is below 1
     */
    public int[] windowStarts(int frames, double fps, int windowFrames) {
        if (!(fps > 0) || Double.isInfinite(fps) || windowFrames < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s fps, %d frames per window: fps must be finite and > 0, frames >= 1", fps,
                    windowFrames));
        }
        List<Integer> starts = new ArrayList<>();
        for (long k = 0;; k++) {
            long t = Math.multiplyExact(k, strideMs);
            double f = Math.floor(t * fps / 1000.0);
            if (f + windowFrames > frames) {
                break;
            }
            starts.add((int) f);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Scores a recording.
     *
     * @param source the windows
     * @param models one classifier per variable (at least one), all open
     * @param progress told {@code (windows scored, total windows)} after every batch
     * @return the timeline
     * @throws NullPointerException if an argument or a model is null
     * @throws IllegalArgumentException if {@code models} is empty, the recording is shorter than
     *     one window, or a window does not fit a model's input
     * @throws IllegalStateException if a classifier is closed
     * @throws ModelException if a model fails
     */
    public Timeline score(WindowSource source, Map<Variable, EngagementClassifier> models,
            ProgressListener progress) throws ModelException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(progress, "progress");
        if (models.isEmpty()) {
            throw new IllegalArgumentException("models: empty map, at least one variable needed");
        }
        Map<Variable, EngagementClassifier> byVariable = new EnumMap<>(Variable.class);
        for (Map.Entry<Variable, EngagementClassifier> e : models.entrySet()) {
            byVariable.put(Objects.requireNonNull(e.getKey(), "variable"),
                    Objects.requireNonNull(e.getValue(), () -> "model of " + e.getKey()));
        }
        double fps = source.fps();
        int w = source.windowFrames();
        int[] starts = windowStarts(source.frames(), fps, w);
        if (starts.length == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "recording %s: %d frames at %s fps, shorter than one window of %d frames",
                    source, source.frames(), fps, w));
        }
        int n = starts.length;
        Map<Variable, double[]> raw = new EnumMap<>(Variable.class);
        for (Variable v : byVariable.keySet()) {
            raw.put(v, new double[n]);
        }
        progress.progress(0, n);
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            List<ClipTensor> windows = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                windows.add(source.window(starts[k]));
            }
            ClipBatch batch = ClipBatch.of(windows);
            for (Map.Entry<Variable, EngagementClassifier> e : byVariable.entrySet()) {
                List<EngagementScore> scores = e.getValue().predict(batch);
                double[] p = raw.get(e.getKey());
                for (int k = from; k < to; k++) {
                    p[k] = scores.get(k - from).probability();
                }
            }
            progress.progress(to, n);
        }
        long[] bounds = segmentBounds(starts, fps, w, strideMs, source.frames());
        Map<Variable, Timeline.Track> tracks = new EnumMap<>(Variable.class);
        for (Map.Entry<Variable, EngagementClassifier> e : byVariable.entrySet()) {
            double[] p = raw.get(e.getKey());
            double[] s = movingAverage(p, smoothing);
            List<Interval> engaged = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                if (s[k] > threshold) {
                    engaged.add(Interval.of(bounds[k], bounds[k + 1]));
                }
            }
            tracks.put(e.getKey(), new Timeline.Track(e.getKey(), p, s, IntervalSet.of(engaged),
                    e.getValue().provenance()));
        }
        return new Timeline(fps, source.frames(), w, strideMs, smoothing, threshold, starts,
                bounds, tracks);
    }

    /**
     * The {@code n + 1} segment boundaries in ms (see the class description).
     */
    static long[] segmentBounds(int[] starts, double fps, int windowFrames, long strideMs,
            int frames) {
        int n = starts.length;
        double[] centre = new double[n];
        for (int k = 0; k < n; k++) {
            centre[k] = (starts[k] + windowFrames / 2.0) * 1000.0 / fps;
        }
        double duration = frames * 1000.0 / fps;
        long[] b = new long[n + 1];
        b[0] = Math.round(Math.max(0, centre[0] - strideMs / 2.0));
        for (int k = 1; k < n; k++) {
            b[k] = Math.round((centre[k - 1] + centre[k]) / 2);
        }
        b[n] = Math.round(Math.min(duration, centre[n - 1] + strideMs / 2.0));
        for (int k = 1; k <= n; k++) {
            b[k] = Math.max(b[k], b[k - 1]);
        }
        return b;
    }

    /**
     * The centred moving average described in the class documentation.
     *
     * @param values the values
     * @param width the window, odd and at least 1
     * @return a new array of the same length
     * @throws IllegalArgumentException if {@code width} is even or below 1
     */
    public static double[] movingAverage(double[] values, int width) {
        Objects.requireNonNull(values, "values");
        if (width < 1 || width % 2 == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "width: %d, must be an odd number >= 1", width));
        }
        int half = width / 2;
        int n = values.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - half);
            int hi = Math.min(n, i + half + 1);
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                sum += values[j];
            }
            out[i] = sum / (hi - lo);
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "TimelineScorer[stride %d ms, smoothing %d, threshold %s, batch %d]", strideMs,
                smoothing, threshold, batchSize);
    }
}
