package org.engagement4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timeline scoring with {@code mean_model.onnx}, whose engaged probability is
 * {@code sigmoid(sum of channel means)}: on a clip of black and white frames normalised to -1 and
 * +1, a 15-frame window with {@code b} white frames has probability
 * {@code sigmoid(3 * (2 b / 15 - 1))}, computed here independently of the scorer.
 */
class TimelineScorerTest {

    private static final double FPS = 3.125;
    private static final int FRAMES = 60;
    private static final int WHITE_FROM = 20;
    private static final int WHITE_TO = 35;

    private static EngagementClassifier model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws ModelException {
        model = ClassifierFixtures.load("mean_model.onnx");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static WindowSource source() {
        int h = 4;
        int w = 4;
        byte[] rgb = new byte[FRAMES * h * w * 3];
        for (int t = WHITE_FROM; t < WHITE_TO; t++) {
            java.util.Arrays.fill(rgb, t * h * w * 3, (t + 1) * h * w * 3, (byte) 255);
        }
        Clip clip = Clip.of(rgb, FRAMES, h, w, FPS);
        Normalization norm = Normalization.of(new double[] {127.5, 127.5, 127.5},
                new double[] {127.5, 127.5, 127.5});
        return WindowSource.of(clip, SnippetEncoder.of(norm).withCropSize(4));
    }

    private static double expected(int start) {
        int white = Math.max(0, Math.min(start + 15, WHITE_TO) - Math.max(start, WHITE_FROM));
        return 1 / (1 + Math.exp(-3 * (2 * white / 15.0 - 1)));
    }

    @Test
    void windowStartsFollowTheReferenceConversion() {
        int[] starts = TimelineScorer.withDefaults().windowStarts(FRAMES, FPS, 15);
        assertArrayEquals(new int[] {0, 3, 6, 9, 12, 15, 18, 21, 25, 28, 31, 34, 37, 40, 43},
                starts);
        assertArrayEquals(new int[] {0, 15, 30, 45},
                TimelineScorer.withDefaults().withStrideMs(4800).windowStarts(FRAMES, FPS, 15));
        assertEquals(0, TimelineScorer.withDefaults().windowStarts(14, FPS, 15).length);
        assertArrayEquals(new int[] {0}, TimelineScorer.withDefaults().windowStarts(15, FPS, 15));
    }

    @Test
    void probabilitiesSpansAndProgress() throws Exception {
        List<long[]> reports = new ArrayList<>();
        Timeline tl = TimelineScorer.withDefaults().score(source(),
                Map.of(Variable.SOCIAL_ENGAGEMENT, model), (d, t) -> reports.add(new long[] {d, t}));
        assertEquals(15, tl.windows());
        assertEquals(3, reports.size());
        assertArrayEquals(new long[] {0, 15}, reports.get(0));
        assertArrayEquals(new long[] {8, 15}, reports.get(1));
        assertArrayEquals(new long[] {15, 15}, reports.get(2));
        Timeline.Track track = tl.track(Variable.SOCIAL_ENGAGEMENT);
        double[] p = track.probabilities();
        List<Interval> engaged = new ArrayList<>();
        for (int k = 0; k < tl.windows(); k++) {
            assertEquals(expected(tl.startFrame(k)), p[k], 1e-5, "window " + k);
            assertEquals(p[k], track.smoothed()[k], 0);
            if (p[k] > 0.5) {
                engaged.add(tl.segment(k));
            }
            // windows cover their 15 frames of 320 ms
            assertEquals(tl.startFrame(k) * 320L, tl.window(k).startMs());
            assertEquals(4800, tl.window(k).durationMs());
        }
        assertEquals(IntervalSet.of(engaged), track.engaged());
        assertTrue(!track.engaged().isEmpty());
        // segments tile [first centre - 500, last centre + 500) without gaps
        assertEquals(2400 - 500, tl.segment(0).startMs());
        for (int k = 1; k < tl.windows(); k++) {
            assertEquals(tl.segment(k - 1).endMs(), tl.segment(k).startMs());
        }
        assertEquals((43 + 7.5) * 320 + 500, tl.segment(14).endMs(), 0);
        assertEquals(model.provenance(), track.provenance());
        assertEquals(19200, tl.durationMs());
        assertThrows(IllegalArgumentException.class, () -> tl.track(Variable.TASK_ENGAGEMENT));
    }

    @Test
    void backToBackWindowsStandForThemselves() {
        long[] b = TimelineScorer.segmentBounds(new int[] {0, 15, 30}, FPS, 15, 4800, 45);
        assertArrayEquals(new long[] {0, 4800, 9600, 14400}, b);
    }

    @Test
    void smoothingIsACentredTruncatedMean() throws Exception {
        assertArrayEquals(new double[] {0, 1, 1, 1, 0},
                TimelineScorer.movingAverage(new double[] {0, 0, 3, 0, 0}, 3), 1e-15);
        assertArrayEquals(new double[] {1.5, 1, 0},
                TimelineScorer.movingAverage(new double[] {3, 0, 0}, 3), 1e-15);
        assertArrayEquals(new double[] {1, 1, 1},
                TimelineScorer.movingAverage(new double[] {3, 0, 0}, 7), 1e-15);
        assertArrayEquals(new double[0], TimelineScorer.movingAverage(new double[0], 5));
        assertThrows(IllegalArgumentException.class,
                () -> TimelineScorer.movingAverage(new double[] {1}, 2));

        Timeline tl = TimelineScorer.withDefaults().withSmoothing(5).withBatchSize(3)
                .score(source(), Map.of(Variable.TASK_ENGAGEMENT, model), (d, t) -> { });
        Timeline.Track t = tl.track(Variable.TASK_ENGAGEMENT);
        assertArrayEquals(TimelineScorer.movingAverage(t.probabilities(), 5), t.smoothed(), 0);
        List<Interval> engaged = new ArrayList<>();
        for (int k = 0; k < tl.windows(); k++) {
            if (t.smoothed()[k] > 0.5) {
                engaged.add(tl.segment(k));
            }
        }
        assertEquals(IntervalSet.of(engaged), t.engaged());
    }

    @Test
    void oneModelPerVariableAndTheThreshold() throws Exception {
        Map<Variable, EngagementClassifier> models = new EnumMap<>(Variable.class);
        models.put(Variable.SOCIAL_ENGAGEMENT, model);
        models.put(Variable.TASK_ENGAGEMENT, model);
        Timeline tl = TimelineScorer.withDefaults().withThreshold(0.9).withStrideMs(320)
                .score(source(), models, (d, t) -> { });
        assertEquals(List.of(Variable.TASK_ENGAGEMENT, Variable.SOCIAL_ENGAGEMENT),
                new ArrayList<>(tl.variables()));
        assertEquals(46, tl.windows());
        Timeline.Track task = tl.track(Variable.TASK_ENGAGEMENT);
        for (int k = 0; k < tl.windows(); k++) {
            boolean in = task.engaged().contains(tl.segment(k).startMs());
            assertEquals(task.smoothed()[k] > 0.9, in, "window " + k);
        }
        assertArrayEquals(task.probabilities(),
                tl.track(Variable.SOCIAL_ENGAGEMENT).probabilities(), 0);
    }

    @Test
    void csvAndJson() throws Exception {
        Timeline tl = TimelineScorer.withDefaults().score(source(),
                Map.of(Variable.SOCIAL_ENGAGEMENT, model), (d, t) -> { });
        Path csv = tmp.resolve("timeline.csv");
        tl.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals("window,start_frame,start_ms,end_ms,segment_start_ms,segment_end_ms,"
                + "social_engagement_probability,social_engagement_smoothed,"
                + "social_engagement_engaged", lines.get(0));
        assertEquals(16, lines.size());
        String[] row = lines.get(8).split(",");
        assertEquals("7", row[0]);
        assertEquals("21", row[1]);
        assertEquals(Long.toString(21 * 320), row[2]);
        assertEquals(expected(21), Double.parseDouble(row[6]), 1e-5);
        assertEquals(expected(21) > 0.5 ? "1" : "0", row[8]);

        Path json = tmp.resolve("timeline.json");
        tl.writeJson(json);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(3.125, root.get("fps").asDouble(), 0);
        assertEquals(15, root.get("window_frames").asInt());
        assertEquals(1000, root.get("stride_ms").asLong());
        assertEquals(15, root.get("start_frame").size());
        assertEquals(16, root.get("segment_bounds_ms").size());
        JsonNode v = root.get("variables").get("social_engagement");
        assertEquals(15, v.get("probability").size());
        assertEquals(tl.track(Variable.SOCIAL_ENGAGEMENT).engaged().durationMs(),
                v.get("engaged_total_ms").asLong());
        Interval first = tl.track(Variable.SOCIAL_ENGAGEMENT).engaged().intervals().get(0);
        assertEquals(first.startMs(), v.get("engaged_ms").get(0).get(0).asLong());
        assertEquals(model.provenance().modelSha256(),
                v.get("provenance").get("model_sha256").asText());
        assertEquals("CPU", v.get("provenance").get("provider").asText());
    }

    @Test
    void badArguments() {
        TimelineScorer s = TimelineScorer.withDefaults();
        assertThrows(IllegalArgumentException.class, () -> s.withStrideMs(0));
        assertThrows(IllegalArgumentException.class, () -> s.withSmoothing(2));
        assertThrows(IllegalArgumentException.class, () -> s.withThreshold(1));
        assertThrows(IllegalArgumentException.class, () -> s.withThreshold(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> s.withBatchSize(0));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> s.score(source(), Map.of(), (d, t) -> { }));
        assertEquals("models: empty map, at least one variable needed", empty.getMessage());
        Clip tiny = Clip.of(new byte[10 * 4 * 4 * 3], 10, 4, 4, FPS);
        Normalization norm = Normalization.of(new double[] {1, 1, 1}, new double[] {1, 1, 1});
        IllegalArgumentException shortClip = assertThrows(IllegalArgumentException.class,
                () -> s.score(WindowSource.of(tiny, SnippetEncoder.of(norm).withCropSize(4)),
                        Map.of(Variable.TASK_ENGAGEMENT, model), (d, t) -> { }));
        assertTrue(shortClip.getMessage().endsWith("10 frames at 3.125 fps, shorter than one"
                + " window of 15 frames"), shortClip.getMessage());
    }

    @Test
    void closedModelIsReported() throws Exception {
        EngagementClassifier closed = ClassifierFixtures.load("mean_model.onnx");
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TimelineScorer.withDefaults().score(source(),
                        Map.of(Variable.TASK_ENGAGEMENT, closed), (d, t) -> { }));
        assertEquals(EngagementClassifier.CLOSED_MESSAGE, e.getMessage());
    }
}
