package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FinalTrainingTest {

    private static final HeadTrainer BASE = HeadTrainer.withDefaults().withEpochs(40)
            .withSmoothingWindow(3).withWarmupEpochs(2);
    private static final HeadSearch.Parameters CHOSEN =
            new HeadSearch.Parameters(0.05, 0.01, 1e-3, true);

    @Test
    void trainsOnTheFirstFoldsChecksOnTheNextAndReportsTheLast() {
        Map<Integer, LabelledEmbeddings> folds = HeadSearchTest.folds(5, 80, 16, 31);
        FinalTraining.Result r = FinalTraining.of(CHOSEN, BASE).withSeed(4).run(folds);
        assertEquals(List.of(0, 1, 2), r.trainingFolds());
        assertEquals(3, r.validationFold());
        assertEquals(4, r.testFold());
        assertEquals(0.05, r.training().settings().learningRate());
        assertEquals(0.01, r.training().settings().learningRateDecay());
        assertEquals(1e-3, r.training().settings().weightDecay());
        assertEquals(40, r.training().settings().epochs());
        assertTrue(r.test().f1() > 0.9, r.toString());
        assertEquals(r.training().bestRecord().validation().orElseThrow(), r.validation());
        assertEquals(80, r.test().confusion().total());

        LabelledEmbeddings train = LabelledEmbeddings.concat(
                List.of(folds.get(0), folds.get(1), folds.get(2)), "train");
        HeadTrainingResult direct = CHOSEN.applyTo(BASE).train(train,
                Optional.of(folds.get(3)), Optional.of(folds.get(4)),
                LinearHead.initialise(16, 2, 4), HeadTrainer.EpochListener.NONE);
        assertEquals(direct.bestHead(), r.head());
        assertEquals(direct.bestEpoch(), r.training().bestEpoch());
        assertEquals(direct.bestRecord().test().orElseThrow(), r.test());
    }

    @Test
    void theHeldOutFoldChoosesNothing() {
        Map<Integer, LabelledEmbeddings> folds = HeadSearchTest.folds(5, 60, 8, 41);
        Map<Integer, LabelledEmbeddings> swapped = new HashMap<>(folds);
        swapped.put(4, HeadSearchTest.folds(5, 60, 8, 42).get(4));
        FinalTraining ft = FinalTraining.of(CHOSEN, BASE);
        FinalTraining.Result a = ft.run(folds);
        FinalTraining.Result b = ft.run(swapped);
        assertEquals(a.head(), b.head());
        assertEquals(a.training().bestEpoch(), b.training().bestEpoch());
    }

    @Test
    void separateTrainingEmbeddingsFeedTheTrainingFoldsOnly() {
        Map<Integer, LabelledEmbeddings> train = HeadSearchTest.folds(3, 50, 8, 61);
        Map<Integer, LabelledEmbeddings> eval = HeadSearchTest.folds(5, 30, 8, 62);
        FinalTraining.Result r = FinalTraining.of(CHOSEN, BASE).run(train, eval,
                HeadTrainer.EpochListener.NONE);
        HeadTrainingResult direct = CHOSEN.applyTo(BASE).train(
                LabelledEmbeddings.concat(List.of(train.get(0), train.get(1), train.get(2)),
                        "t"), Optional.of(eval.get(3)), Optional.of(eval.get(4)),
                LinearHead.initialise(8, 2, 0), HeadTrainer.EpochListener.NONE);
        assertEquals(direct.bestHead(), r.head());
        assertEquals(30, r.test().confusion().total());
        Map<Integer, LabelledEmbeddings> short2 = HeadSearchTest.folds(2, 50, 8, 61);
        assertThrows(IllegalArgumentException.class, () -> FinalTraining.of(BASE).run(short2,
                eval, HeadTrainer.EpochListener.NONE));
    }

    @Test
    void badFoldsAreRefused() {
        Map<Integer, LabelledEmbeddings> two = HeadSearchTest.folds(2, 20, 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FinalTraining.of(BASE).run(two));
        assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
        Map<Integer, LabelledEmbeddings> gap = new HashMap<>(HeadSearchTest.folds(5, 20, 4, 1));
        gap.remove(1);
        e = assertThrows(IllegalArgumentException.class, () -> FinalTraining.of(BASE).run(gap));
        assertTrue(e.getMessage().contains("fold 1 is missing"), e.getMessage());
        Map<Integer, LabelledEmbeddings> oneClass = new HashMap<>(
                HeadSearchTest.folds(3, 20, 2, 1));
        oneClass.put(0, LabelledEmbeddings.of(new float[] {1, 2}, 2, new boolean[] {true},
                "fold 0"));
        e = assertThrows(IllegalArgumentException.class,
                () -> FinalTraining.of(BASE).run(oneClass));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }
}
