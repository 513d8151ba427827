package org.engagement4j.examples.demo;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.engagement4j.xai.attention.AttentionMethod;

/**
 * The sizes of one demo run ({@link DemoPipeline}): how much synthetic data is generated, how
 * wide the seeded random mc3_18 encoder is, how many sampler passes are baked, how long the
 * linear heads train and which attention methods are compared. {@link #full()} is the README's
 * demo (about 3 to 6 minutes on 2 cores); {@link #quick()} is the test-sized run.
 *
 * @param sessions recordings generated (at least 4: two training sessions, one validation and
 *     one test session)
 * @param sessionLengthMs length of each recording in ms (at least 60,000: every task span must
 *     hold a 5 s snippet)
 * @param coders simulated coders per session (2 or 3)
 * @param videoWidth width of the generated videos in pixels (the clips are 160 px high)
 * @param videoHeight height of the generated videos in pixels
 * @param videoFps frame rate of the generated videos
 * @param encoderWidth base width of the mc3_18 encoder (torchvision: 64); the embedding has
 *     {@code 8 * encoderWidth} features
 * @param trainPasses sampler passes baked over the training sessions (each pass draws other
 *     snippets)
 * @param evaluationPasses sampler passes baked over the validation and test sessions (centre
 *     crop)
 * @param headEpochs full-batch epochs of each linear head
 * @param comparisonSamplesPerLabel comparison snippets wanted per test session and (task,
 *     variable, label)
 * @param maxComparisonSamples the most comparison snippets explained and compared (the first
 *     ones, the test sessions' samples taken in turn)
 * @param timelineStrideMs time between the starts of the timeline's windows
 * @param methods the attention methods computed and ranked, kept in the enum's order (occlusion
 *     costs one forward pass per occluded block)
 * @since 0.1.0
 */
public record DemoSettings(int sessions, long sessionLengthMs, int coders, int videoWidth,
        int videoHeight, double videoFps, int encoderWidth,
        int trainPasses, int evaluationPasses, int headEpochs, int comparisonSamplesPerLabel,
        int maxComparisonSamples, long timelineStrideMs, Set<AttentionMethod> methods) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a number is outside the range given for it above or no
     *     method is given (the message names the field)
     * @throws NullPointerException if {@code methods} is null
     */
    public DemoSettings {
        require(sessions >= 4, "sessions", sessions, "at least 4 (train, train, validation, test)");
        require(sessionLengthMs >= 60_000, "sessionLengthMs", sessionLengthMs, "at least 60000");
        require(coders >= 2 && coders <= 3, "coders", coders, "2 or 3");
        require(videoWidth >= 16 && videoWidth <= 4096, "videoWidth", videoWidth, "16..4096");
        require(videoHeight >= 16 && videoHeight <= 4096, "videoHeight", videoHeight,
                "16..4096");
        if (!(videoFps >= 3.125 && videoFps <= 100)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "demo settings: videoFps = %s, must be in [3.125, 100]", videoFps));
        }
        require(encoderWidth >= 1 && encoderWidth <= 64, "encoderWidth", encoderWidth, "1..64");
        require(trainPasses >= 1, "trainPasses", trainPasses, "at least 1");
        require(evaluationPasses >= 1, "evaluationPasses", evaluationPasses, "at least 1");
        require(headEpochs >= 1, "headEpochs", headEpochs, "at least 1");
        require(comparisonSamplesPerLabel >= 1, "comparisonSamplesPerLabel",
                comparisonSamplesPerLabel, "at least 1");
        require(maxComparisonSamples >= 2, "maxComparisonSamples", maxComparisonSamples,
                "at least 2 (a ranking test needs pairs)");
        require(timelineStrideMs >= 1, "timelineStrideMs", timelineStrideMs, "at least 1");
        Objects.requireNonNull(methods, "methods");
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("demo settings: methods: at least one attention"
                    + " method is needed");
        }
        methods = Collections.unmodifiableSet(EnumSet.copyOf(methods));
    }

    /**
     * The README's demo: 6 recordings of 90 s (416 x 320 at 25 fps), 3 coders, an 8-wide
     * encoder (64-d embeddings), 6 training passes, 2 evaluation passes, 300 head epochs, 1
     * comparison snippet per test session and (task, variable, label) (at most 2 x 12 = 24), a
     * timeline stride of 1 s and the four gradient methods of the paper.
     *
     * @return the settings
     */
    public static DemoSettings full() {
        return new DemoSettings(6, 90_000, 3, 416, 320, 25, 8, 6, 2, 300, 1, 24, 1000,
                EnumSet.of(AttentionMethod.GRADIENT_SALIENCY, AttentionMethod.GUIDED_BACKPROP,
                        AttentionMethod.GRAD_CAM, AttentionMethod.GUIDED_GRAD_CAM));
    }

    /**
     * A test-sized run: 4 recordings of 60 s (208 x 160 at 6.25 fps: the clips are the same
     * size as the full run's), 3 coders, a 2-wide encoder, one training and one evaluation pass,
     * 100 head epochs, one comparison snippet per (task, variable, label), at most 3 of them
     * compared, a timeline stride of 5 s and the same methods.
     *
     * @return the settings
     */
    public static DemoSettings quick() {
        return new DemoSettings(4, 60_000, 3, 208, 160, 6.25, 2, 1, 1, 100, 1, 3, 5000,
                full().methods());
    }

    /**
     * @param set the attention methods
     * @return a copy with these methods
     */
    public DemoSettings withMethods(Set<AttentionMethod> set) {
        return new DemoSettings(sessions, sessionLengthMs, coders, videoWidth, videoHeight,
                videoFps, encoderWidth, trainPasses, evaluationPasses, headEpochs,
                comparisonSamplesPerLabel, maxComparisonSamples, timelineStrideMs, set);
    }

    /**
     * @param n recordings to generate
     * @param lengthMs length of each
     * @return a copy with this much data
     */
    public DemoSettings withSessions(int n, long lengthMs) {
        return new DemoSettings(n, lengthMs, coders, videoWidth, videoHeight, videoFps,
                encoderWidth, trainPasses, evaluationPasses, headEpochs,
                comparisonSamplesPerLabel, maxComparisonSamples, timelineStrideMs, methods);
    }

    private static void require(boolean ok, String field, long value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "demo settings: %s = %d, must be %s", field, value, rule));
        }
    }
}
