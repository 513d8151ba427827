package org.engagement4j.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.internal.AtomicFiles;

/**
 * The scores of a whole recording, window by window and variable by variable, made by
 * {@link TimelineScorer} (which documents the windows, smoothing and segments). Immutable.
 *
 * <h2>CSV ({@link #toCsv()})</h2>
 * One header line, then one line per window, comma-separated, numbers in {@link Locale#ROOT}:
 * {@code window,start_frame,start_ms,end_ms,segment_start_ms,segment_end_ms}, then for each
 * variable in {@link Variable} order {@code <name>_probability,<name>_smoothed,<name>_engaged}
 * where {@code <name>} is {@link Variable#paperName()} and engaged is 0 or 1. {@code start_ms}
 * and {@code end_ms} are the window's frames in time ({@code round(frame * 1000 / fps)}).
 *
 * <h2>JSON ({@link #toJson()})</h2>
 * <pre>{@code
 * { "fps": 3.125, "frames": 1000, "duration_ms": 320000, "window_frames": 15,
 *   "stride_ms": 1000, "smoothing": 1, "threshold": 0.5,
 *   "start_frame": [0, 3, 6, ...], "segment_bounds_ms": [1900, 2880, ...],
 *   "variables": { "task_engagement": { "probability": [...], "smoothed": [...],
 *       "engaged_ms": [[1900, 5040], ...], "engaged_total_ms": 3140,
 *       "provenance": { "model_sha256": "...", ... } } } }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Timeline {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The scores of one variable.
     *
     * @param variable the engagement variable
     * @param probabilities the probability of the engaged class per window (a copy is kept and
     *     returned)
     * @param smoothed the smoothed probabilities per window, equal to {@code probabilities}
     *     without smoothing (a copy is kept and returned)
     * @param engaged the union of the segments whose smoothed probability exceeds the threshold
     * @param provenance the model that produced the probabilities
     * @since 0.1.0
     */
    public record Track(Variable variable, double[] probabilities, double[] smoothed,
            IntervalSet engaged, Provenance provenance) {

        /**
         * Validates and copies.
         *
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if the arrays differ in length or a value is not in
         *     [0, 1]
         */
        public Track {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(engaged, "engaged");
            Objects.requireNonNull(provenance, "provenance");
            probabilities = Objects.requireNonNull(probabilities, "probabilities").clone();
            smoothed = Objects.requireNonNull(smoothed, "smoothed").clone();
            if (probabilities.length != smoothed.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %d probabilities but %d smoothed values", variable,
                        probabilities.length, smoothed.length));
            }
            for (int k = 0; k < probabilities.length; k++) {
                if (!(probabilities[k] >= 0 && probabilities[k] <= 1 && smoothed[k] >= 0
                        && smoothed[k] <= 1)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s window %d: probability %s, smoothed %s; both must be in [0, 1]",
                            variable, k, probabilities[k], smoothed[k]));
                }
            }
        }

        /** @return a copy of the probabilities */
        @Override
        public double[] probabilities() {
            return probabilities.clone();
        }

        /** @return a copy of the smoothed probabilities */
        @Override
        public double[] smoothed() {
            return smoothed.clone();
        }

        /**
         * @param o another object
         * @return whether {@code o} is a track with equal components (arrays compared by value)
         */
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Track)) {
                return false;
            }
            Track t = (Track) o;
            return variable == t.variable && Arrays.equals(probabilities, t.probabilities)
                    && Arrays.equals(smoothed, t.smoothed) && engaged.equals(t.engaged)
                    && provenance.equals(t.provenance);
        }

        @Override
        public int hashCode() {
            return Objects.hash(variable, Arrays.hashCode(probabilities), engaged, provenance);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Track[%s, %d windows, engaged %d ms]", variable,
                    probabilities.length, engaged.durationMs());
        }
    }

    private final double fps;
    private final int frames;
    private final int windowFrames;
    private final long strideMs;
    private final int smoothing;
    private final double threshold;
    private final int[] starts;
    private final long[] bounds;
    private final Map<Variable, Track> tracks;

    Timeline(double fps, int frames, int windowFrames, long strideMs, int smoothing,
            double threshold, int[] starts, long[] bounds, Map<Variable, Track> tracks) {
        this.fps = fps;
        this.frames = frames;
        this.windowFrames = windowFrames;
        this.strideMs = strideMs;
        this.smoothing = smoothing;
        this.threshold = threshold;
        this.starts = starts.clone();
        this.bounds = bounds.clone();
        this.tracks = Collections.unmodifiableMap(new EnumMap<>(tracks));
    }

    /** @return the recording's frame rate */
    public double fps() {
        return fps;
    }

    /** @return the recording's number of frames */
    public int frames() {
        return frames;
    }

    /** @return the recording's duration, {@code round(frames * 1000 / fps)} ms */
    public long durationMs() {
        return Math.round(frames * 1000.0 / fps);
    }

    /** @return the frames of one window */
    public int windowFrames() {
        return windowFrames;
    }

    /** @return the stride in ms */
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

    /** @return the number of windows, at least 1 */
    public int windows() {
        return starts.length;
    }

    /**
     * @param k a window, {@code 0 <= k < windows()}
     * @return its first frame
     */
    public int startFrame(int k) {
        return starts[Objects.checkIndex(k, starts.length)];
    }

    /**
     * @param k a window
     * @return the time its frames cover, {@code [round(start * 1000 / fps), round((start +
     *     windowFrames) * 1000 / fps))} ms
     */
    public Interval window(int k) {
        int s = startFrame(k);
        return Interval.of(Math.round(s * 1000.0 / fps),
                Math.round((s + windowFrames) * 1000.0 / fps));
    }

    /**
     * @param k a window
     * @return the segment of time the window stands for (see {@link TimelineScorer})
     */
    public Interval segment(int k) {
        Objects.checkIndex(k, starts.length);
        return Interval.of(bounds[k], bounds[k + 1]);
    }

    /** @return the variables scored, in {@link Variable} order */
    public Set<Variable> variables() {
        return tracks.keySet();
    }

    /** @return the tracks by variable (unmodifiable, in {@link Variable} order) */
    public Map<Variable, Track> tracks() {
        return tracks;
    }

    /**
     * @param variable a variable that was scored
     * @return its track
     * @throws IllegalArgumentException if the variable was not scored
     */
    public Track track(Variable variable) {
        Track t = tracks.get(Objects.requireNonNull(variable, "variable"));
        if (t == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "variable %s was not scored; expected one of %s", variable, tracks.keySet()));
        }
        return t;
    }

    /** @return the CSV form (see the class description), with a final newline */
    public String toCsv() {
        StringBuilder b = new StringBuilder(
                "window,start_frame,start_ms,end_ms,segment_start_ms,segment_end_ms");
        for (Variable v : tracks.keySet()) {
            String n = v.paperName();
            b.append(',').append(n).append("_probability,").append(n).append("_smoothed,")
                    .append(n).append("_engaged");
        }
        b.append('\n');
        for (int k = 0; k < starts.length; k++) {
            Interval w = window(k);
            b.append(k).append(',').append(starts[k]).append(',').append(w.startMs()).append(',')
                    .append(w.endMs()).append(',').append(bounds[k]).append(',')
                    .append(bounds[k + 1]);
            for (Track t : tracks.values()) {
                b.append(',').append(number(t.probabilities[k])).append(',')
                        .append(number(t.smoothed[k])).append(',')
                        .append(t.smoothed[k] > threshold ? 1 : 0);
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** @return the JSON form (see the class description), indented, without a final newline */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("fps", fps);
        root.put("frames", frames);
        root.put("duration_ms", durationMs());
        root.put("window_frames", windowFrames);
        root.put("stride_ms", strideMs);
        root.put("smoothing", smoothing);
        root.put("threshold", threshold);
        ArrayNode s = root.putArray("start_frame");
        for (int f : starts) {
            s.add(f);
        }
        ArrayNode b = root.putArray("segment_bounds_ms");
        for (long x : bounds) {
            b.add(x);
        }
        ObjectNode vars = root.putObject("variables");
        for (Track t : tracks.values()) {
            ObjectNode o = vars.putObject(t.variable().paperName());
            ArrayNode p = o.putArray("probability");
            ArrayNode sm = o.putArray("smoothed");
            for (int k = 0; k < starts.length; k++) {
                p.add(t.probabilities[k]);
                sm.add(t.smoothed[k]);
            }
            ArrayNode spans = o.putArray("engaged_ms");
            for (Interval i : t.engaged().intervals()) {
                spans.addArray().add(i.startMs()).add(i.endMs());
            }
            o.put("engaged_total_ms", t.engaged().durationMs());
            o.set("provenance", t.provenance().jsonNode());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of numbers could not be written", e);
        }
    }

    /**
     * Writes {@link #toCsv()} as UTF-8, atomically where the file system allows it.
     *
     * @param file the file, replaced if it exists
     * @throws IOException if it cannot be written
     */
    public void writeCsv(Path file) throws IOException {
        write(file, toCsv());
    }

    /**
     * Writes {@link #toJson()} and a final newline as UTF-8, atomically where the file system
     * allows it.
     *
     * @param file the file, replaced if it exists
     * @throws IOException if it cannot be written
     */
    public void writeJson(Path file) throws IOException {
        write(file, toJson() + "\n");
    }

    private static void write(Path file, String text) throws IOException {
        Objects.requireNonNull(file, "file");
        AtomicFiles.writeString(file, text);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Timeline[%d windows of %d frames, stride %d ms, %s]",
                starts.length, windowFrames, strideMs, tracks.keySet());
    }
}
