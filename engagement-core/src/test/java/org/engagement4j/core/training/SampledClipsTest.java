package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.internal.Seeds;
import org.engagement4j.core.sampling.Snippet;
import org.engagement4j.core.sampling.SnippetSampler;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.TestTransform;
import org.engagement4j.core.video.Clip;
import org.junit.jupiter.api.Test;

/** Session-backed clips: the plan's snippets, normalised and transformed, reproducibly. */
class SampledClipsTest {

    private static final List<CodedSession> SESSIONS = List.of(
            TrainingFixtures.session("s1", 1, false), TrainingFixtures.session("s2", 2, true));
    private static final Map<String, Clip> CLIPS = TrainingFixtures.clips(SESSIONS);
    private static final SnippetSampler SAMPLER = SnippetSampler.withDefaults()
            .withSnippetsPerSession(3);
    private static final TestTransform TRANSFORM = TestTransform.of(16).withFlipProbability(0.5);

    private static SampledClips set(Variable v, int epoch, long seed) {
        return SampledClips.of("test", SESSIONS, Task.DOLLS, v, ClipSource.of(CLIPS),
                TrainingFixtures.NORM, SAMPLER, TRANSFORM, epoch, seed);
    }

    @Test
    void clipsAreThePlansSnippetsNormalisedAndTransformed() {
        SampledClips c = set(Variable.SOCIAL_ENGAGEMENT, 2, 9);
        List<Snippet> plan = SAMPLER.plan(SESSIONS, Task.DOLLS, 2, 9).snippets();
        assertEquals(plan, c.snippets());
        assertEquals(6, c.size());
        int frames = c.snippets().get(0).frameCount();
        assertArrayEquals(new long[] {3, frames, 16, 16}, c.clipShape());
        for (int i = 0; i < c.size(); i++) {
            Snippet s = plan.get(i);
            assertEquals(s.label(Variable.SOCIAL_ENGAGEMENT), c.label(i));
            Clip clip = CLIPS.get(s.session());
            ClipTensor raw = TrainingFixtures.NORM.apply(clip.snippet(s.startFrame(),
                    s.frameCount()), s.frameCount(), clip.height(), clip.width());
            ClipTensor x = TRANSFORM.apply(raw, Seeds.rng(9, "transform", "2",
                    s.session(), Integer.toString(s.index())));
            assertArrayEquals(x.toArray(), c.clip(i), "clip " + i);
        }
    }

    @Test
    void labelsFollowTheVariable() {
        SampledClips task = set(Variable.TASK_ENGAGEMENT, 0, 3);
        for (int i = 0; i < task.size(); i++) {
            assertEquals(task.snippets().get(i).label(Variable.TASK_ENGAGEMENT), task.label(i));
        }
    }

    @Test
    void equalSeedsGiveEqualClipsOtherSeedsOthers() {
        SampledClips a = set(Variable.TASK_ENGAGEMENT, 1, 5);
        SampledClips b = set(Variable.TASK_ENGAGEMENT, 1, 5);
        SampledClips other = set(Variable.TASK_ENGAGEMENT, 1, 6);
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.clip(i), b.clip(i));
            assertArrayEquals(a.clip(i), a.clip(i));
            differs |= !Arrays.equals(a.clip(i), other.clip(i));
        }
        assertTrue(differs);
    }

    @Test
    void badInputIsRefusedWithTheSessionNamed() {
        assertThrows(IllegalArgumentException.class, () -> SampledClips.of("x", List.of(),
                Task.DOLLS, Variable.TASK_ENGAGEMENT, ClipSource.of(CLIPS),
                TrainingFixtures.NORM, SAMPLER, TRANSFORM, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampledClips.of("x", SESSIONS, Task.DOLLS, Variable.TASK_ENGAGEMENT,
                        ClipSource.of(Map.of("s1", CLIPS.get("s1"))), TrainingFixtures.NORM,
                        SAMPLER, TRANSFORM, 0, 0).clip(5));
        assertTrue(e.getMessage().contains("s2"), e.getMessage());
        Clip shortClip = Clip.of(new byte[4 * TrainingFixtures.HEIGHT * TrainingFixtures.WIDTH
                * 3], 4, TrainingFixtures.HEIGHT, TrainingFixtures.WIDTH, TrainingFixtures.FPS);
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> SampledClips.of("x", SESSIONS, Task.DOLLS, Variable.TASK_ENGAGEMENT,
                        ClipSource.of(Map.of("s1", shortClip, "s2", shortClip)),
                        TrainingFixtures.NORM, SAMPLER, TRANSFORM, 0, 0));
        assertTrue(s.getMessage().contains("frames"), s.getMessage());
        assertFalse(s.getMessage().isEmpty());
    }

    @Test
    void writtenBackWeightsReplaceTheInitializers() throws Exception {
        var model = org.engagement4j.core.graph.OnnxModels.parse(
                TrainingFixtures.narrowModel(4), "narrow");
        var first = model.getGraph().getInitializer(0);
        float[] v = org.engagement4j.core.graph.Tensors.toFloats(first);
        Arrays.fill(v, 0.25f);
        var updated = NetworkWeights.withWeights(model, Map.of(first.getName(), v));
        assertEquals(model.getGraph().getInitializerCount(),
                updated.getGraph().getInitializerCount());
        assertArrayEquals(v, org.engagement4j.core.graph.Tensors.toFloats(
                updated.getGraph().getInitializer(0)));
        assertEquals(model.getGraph().getInitializer(1), updated.getGraph().getInitializer(1));
        assertThrows(IllegalArgumentException.class,
                () -> NetworkWeights.withWeights(model, Map.of("nope", v)));
        assertThrows(IllegalArgumentException.class,
                () -> NetworkWeights.withWeights(model, Map.of(first.getName(), new float[1])));
    }

    @Test
    void eachEpochDrawsFreshSnippetsAndAugmentationReproducibly() {
        SampledClips base = SampledClips.of("train", SESSIONS, Task.DOLLS, Variable.TASK_ENGAGEMENT,
                ClipSource.of(CLIPS), TrainingFixtures.NORM, SAMPLER, TRANSFORM, 4, 7);
        assertTrue(base.forEpoch(1) == base, "epoch 1 is the set itself");
        SampledClips e3 = base.forEpoch(3);
        assertEquals(6, e3.epoch());
        assertEquals(SAMPLER.plan(SESSIONS, Task.DOLLS, 6, 7).snippets(), e3.snippets());
        assertArrayEquals(base.clipShape(), e3.clipShape());
        SampledClips again = SampledClips.of("train", SESSIONS, Task.DOLLS, Variable.TASK_ENGAGEMENT,
                ClipSource.of(CLIPS), TrainingFixtures.NORM, SAMPLER, TRANSFORM, 4, 7).forEpoch(3);
        boolean differs = false;
        for (int i = 0; i < e3.size(); i++) {
            assertArrayEquals(again.clip(i), e3.clip(i), "same seed, same epoch");
            differs |= !Arrays.equals(base.clip(i), e3.clip(i));
        }
        assertTrue(differs, "epoch 3 is not epoch 1");
        assertThrows(IllegalArgumentException.class, () -> base.forEpoch(0));
        LabelledClips union = LabelledClips.concat(List.of(base, e3), "both");
        assertEquals(base.size() + e3.size(), union.size());
        assertArrayEquals(e3.clip(1), union.clip(base.size() + 1));
        assertEquals(e3.label(2), union.label(base.size() + 2));
        assertArrayEquals(e3.forEpoch(2).clip(0), union.forEpoch(2).clip(base.size()));
    }
}
