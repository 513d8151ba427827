package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.engagement4j.core.internal.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadSearchTest {

    /**
     * {@code k} folds of {@code n} rows of width {@code d}: Gaussian noise, positives shifted by
     * +1.5 and negatives by -1.5 on the first four dimensions (linearly separable with a wide
     * margin, in expectation); about 40 % positive.
     */
    static Map<Integer, LabelledEmbeddings> folds(int k, int n, int d, long seed) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        Map<Integer, LabelledEmbeddings> out = new HashMap<>();
        for (int f = 0; f < k; f++) {
            float[] x = new float[n * d];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                y[i] = rng.nextDouble() < 0.4;
                for (int j = 0; j < d; j++) {
                    double shift = j < 4 ? (y[i] ? 1.5 : -1.5) : 0;
                    x[i * d + j] = (float) (g.sample() * 0.7 + shift);
                }
            }
            out.put(f, LabelledEmbeddings.of(x, d, y, "fold " + f));
        }
        return out;
    }

    private static HeadSearch small() {
        return HeadSearch.withDefaults().withTrials(6).withEpochs(5).withRepetitions(2)
                .withSmoothingWindow(2).withWarmupEpochs(1).withSeed(11);
    }

    @Test
    void resultIsIndependentOfThreadCountAndMatchesTheSampledParameters() {
        Map<Integer, LabelledEmbeddings> folds = folds(4, 80, 16, 3);
        SearchResult one = small().withThreads(1).run(folds);
        SearchResult three = small().withThreads(3).run(folds);
        assertEquals(one, three);
        assertEquals(one.toCsv(), three.toCsv());
        assertEquals(6, one.trials().size());
        assertEquals(2, one.repetitions());
        assertEquals(4, one.folds());
        for (SearchResult.Trial t : one.trials()) {
            assertEquals(HeadSearch.sample(11, t.trial()), t.parameters());
            for (List<Double> row : t.validationF1()) {
                assertEquals(4, row.size());
                for (double f1 : row) {
                    assertTrue(f1 >= 0 && f1 <= 1, "F1 " + f1);
                }
            }
        }
        SearchResult other = small().withSeed(12).withThreads(2).run(folds);
        assertNotEquals(one.trials().get(0).parameters(), other.trials().get(0).parameters());
    }

    @Test
    void trialParametersDependOnSeedAndIndexOnly() {
        Map<Integer, LabelledEmbeddings> folds = folds(4, 40, 8, 5);
        SearchResult six = small().withThreads(2).run(folds);
        SearchResult three = small().withTrials(3).withThreads(1).run(folds);
        for (int t = 0; t < 3; t++) {
            // Same parameters and the same starts: the first three trials are identical.
            assertEquals(six.trials().get(t), three.trials().get(t));
        }
    }

    @Test
    void eachRunScoresTheCheckpointOfAnExplicitCrossValidationRun() {
        Map<Integer, LabelledEmbeddings> folds = folds(4, 40, 8, 9);
        SearchResult r = small().withTrials(2).withThreads(2).run(folds);
        SearchResult.Trial t = r.trials().get(1);
        HeadTrainer trainer = t.parameters().applyTo(HeadTrainer.withDefaults().withEpochs(5)
                .withSmoothingWindow(2).withWarmupEpochs(1));
        int rep = 1;
        int v = 2;
        LabelledEmbeddings train = LabelledEmbeddings.concat(
                List.of(folds.get(0), folds.get(1), folds.get(3)), "train");
        LinearHead start = LinearHead.initialise(8, 2, Seeds.derive(11, "head-search",
                "init", "1", "2"));
        HeadTrainingResult direct = trainer.train(train, folds.get(v), start);
        assertEquals(direct.bestRecord().validation().orElseThrow().f1(),
                t.validationF1().get(rep).get(v));
    }

    @Test
    void separateValidationEmbeddingsAreUsedForValidationOnly() {
        Map<Integer, LabelledEmbeddings> train = folds(3, 40, 8, 51);
        Map<Integer, LabelledEmbeddings> eval = folds(3, 30, 8, 52);
        SearchResult r = small().withTrials(2).withThreads(2).run(train, eval,
                HeadSearch.TrialListener.NONE);
        SearchResult.Trial t = r.trials().get(0);
        HeadTrainer trainer = t.parameters().applyTo(HeadTrainer.withDefaults().withEpochs(5)
                .withSmoothingWindow(2).withWarmupEpochs(1));
        LabelledEmbeddings union = LabelledEmbeddings.concat(
                List.of(train.get(1), train.get(2)), "train");
        LinearHead start = LinearHead.initialise(8, 2, Seeds.derive(11, "head-search",
                "init", "0", "0"));
        assertEquals(trainer.train(union, eval.get(0), start).bestRecord().validation()
                .orElseThrow().f1(), t.validationF1().get(0).get(0));
        Map<Integer, LabelledEmbeddings> fewer = folds(2, 30, 8, 52);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().run(train, fewer, HeadSearch.TrialListener.NONE));
        assertTrue(e.getMessage().contains("3 folds of training embeddings, 2"),
                e.getMessage());
    }

    @Test
    void separableDataGivesAHighBestScore() {
        SearchResult r = HeadSearch.withDefaults().withTrials(12).withEpochs(20)
                .withRepetitions(1).withSmoothingWindow(2).withWarmupEpochs(1).withSeed(1)
                .withThreads(2).run(folds(4, 80, 16, 21));
        SearchResult.Trial best = r.best();
        for (SearchResult.Trial t : r.trials()) {
            assertTrue(t.meanF1() <= best.meanF1());
        }
        assertTrue(best.meanF1() > 0.9, r.toCsv());
        assertEquals(best, r.ranked().get(0));
    }

    @Test
    void meanAndSampleStandardDeviation() {
        HeadSearch.Parameters p = new HeadSearch.Parameters(0.01, 0, 0, true);
        SearchResult.Trial t = SearchResult.Trial.of(0, p,
                List.of(List.of(0.5, 0.7), List.of(0.9, 0.3)), 0);
        assertEquals(0.6, t.meanF1(), 1e-15);
        // deviations -0.1, 0.1, 0.3, -0.3: sum of squares 0.2, / 3
        assertEquals(Math.sqrt(0.2 / 3), t.sdF1(), 1e-15);
        assertEquals(0, SearchResult.Trial.of(0, p, List.of(List.of(0.4)), 0).sdF1());
    }

    @Test
    void bestIsTheHighestMeanWithTiesToTheLowestIndex() {
        HeadSearch.Parameters p = new HeadSearch.Parameters(0.01, 0, 0, true);
        SearchResult r = new SearchResult(List.of(
                SearchResult.Trial.of(0, p, List.of(List.of(0.5, 0.5)), 0),
                SearchResult.Trial.of(1, p, List.of(List.of(0.8, 0.6)), 0),
                SearchResult.Trial.of(2, p, List.of(List.of(0.6, 0.8)), 0),
                SearchResult.Trial.of(3, p, List.of(List.of(0.1, 0.2)), 0)), 1, 2);
        assertEquals(1, r.best().trial());
        assertEquals(List.of(1, 2, 0, 3), r.ranked().stream().map(SearchResult.Trial::trial)
                .toList());
        SearchResult nanFirst = new SearchResult(List.of(
                new SearchResult.Trial(0, p, List.of(List.of(0.5)), Double.NaN, 0, 0),
                SearchResult.Trial.of(1, p, List.of(List.of(0.2)), 0)), 1, 1);
        assertEquals(1, nanFirst.best().trial());
    }

    @Test
    void sampledParametersFollowTheReferenceRangesAndOdds() {
        int n = 20000;
        int zeroDecay = 0;
        int zeroWd = 0;
        int weighted = 0;
        int lrBelowMinus4 = 0;
        double sumLogLr = 0;
        double sumLogDecay = 0;
        double sumLogWd = 0;
        for (int t = 0; t < n; t++) {
            HeadSearch.Parameters p = HeadSearch.sample(42, t);
            double lr = Math.log10(p.learningRate());
            assertTrue(lr >= -5 && lr <= 0, "lr " + p.learningRate());
            sumLogLr += lr;
            if (lr < -4) {
                lrBelowMinus4++;
            }
            if (p.learningRateDecay() == 0) {
                zeroDecay++;
            } else {
                double dd = Math.log10(p.learningRateDecay());
                assertTrue(dd >= -3 && dd <= -1, "decay " + p.learningRateDecay());
                sumLogDecay += dd;
            }
            if (p.weightDecay() == 0) {
                zeroWd++;
            } else {
                double w = Math.log10(p.weightDecay());
                assertTrue(w >= -4 && w <= 1, "weight decay " + p.weightDecay());
                sumLogWd += w;
            }
            if (p.classWeights()) {
                weighted++;
            }
        }
        // Binomial standard errors: sqrt(0.2 * 0.8 / n) = 0.0028, sqrt(0.25 / n) = 0.0035;
        // the tolerances are about 4 of them.
        assertEquals(0.2, (double) zeroDecay / n, 0.012);
        assertEquals(0.2, (double) zeroWd / n, 0.012);
        assertEquals(0.5, (double) weighted / n, 0.015);
        assertEquals(0.2, (double) lrBelowMinus4 / n, 0.012);
        // U(a, b) has sd (b - a) / sqrt(12); mean standard errors are below 0.015.
        assertEquals(-2.5, sumLogLr / n, 0.05);
        assertEquals(-2.0, sumLogDecay / (n - zeroDecay), 0.03);
        assertEquals(-1.5, sumLogWd / (n - zeroWd), 0.05);
        assertEquals(HeadSearch.sample(42, 7), HeadSearch.sample(42, 7));
        assertNotEquals(HeadSearch.sample(42, 7), HeadSearch.sample(43, 7));
    }

    @Test
    void csvRoundTripAndFormat(@TempDir Path dir) throws IOException {
        SearchResult r = small().withTrials(3).withThreads(2).run(folds(4, 40, 8, 13));
        String csv = r.toCsv();
        List<String> lines = csv.lines().toList();
        assertEquals(4, lines.size());
        assertEquals("trial,learning_rate,learning_rate_decay,weight_decay,class_weights,"
                + "mean_f1,sd_f1,non_finite_runs,f1_r0_f0,f1_r0_f1,f1_r0_f2,f1_r0_f3,"
                + "f1_r1_f0,f1_r1_f1,f1_r1_f2,f1_r1_f3", lines.get(0));
        assertTrue(lines.get(2).startsWith("1," + r.trials().get(1).parameters().learningRate()
                + ","));
        assertEquals(r, SearchResult.fromCsv(csv, "mem"));
        Path file = dir.resolve("search.csv");
        r.writeCsv(file);
        assertEquals(r, SearchResult.readCsv(file));
    }

    @Test
    void malformedCsvNamesSourceAndLine() {
        String good = "trial,learning_rate,learning_rate_decay,weight_decay,class_weights,"
                + "mean_f1,sd_f1,non_finite_runs,f1_r0_f0\n0,0.01,0.0,0.0,true,0.5,0.0,0,0.5\n";
        assertEquals(1, SearchResult.fromCsv(good, "x.csv").trials().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SearchResult.fromCsv(good.replace("true", "yes"), "x.csv"));
        assertTrue(e.getMessage().contains("x.csv line 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchResult.fromCsv(good + "1,0.01,0.0\n", "x.csv"));
        assertTrue(e.getMessage().contains("x.csv line 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchResult.fromCsv(good.replace("f1_r0_f0", "f1"), "x.csv"));
        assertTrue(e.getMessage().contains("x.csv line 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SearchResult.fromCsv("", "x.csv"));
    }

    @Test
    void missingOrTooFewFoldsAreRefused() {
        Map<Integer, LabelledEmbeddings> folds = folds(4, 20, 4, 1);
        folds.remove(2);
        folds.put(3, folds(4, 20, 4, 2).get(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().run(folds));
        assertTrue(e.getMessage().contains("fold 2 is missing"), e.getMessage());
        Map<Integer, LabelledEmbeddings> one = Map.of(0, folds.get(0));
        assertThrows(IllegalArgumentException.class, () -> small().run(one));
        Map<Integer, LabelledEmbeddings> wide = new HashMap<>(folds(2, 20, 4, 1));
        wide.put(1, folds(2, 20, 5, 1).get(1));
        e = assertThrows(IllegalArgumentException.class, () -> small().run(wide));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
    }

    @Test
    void oneClassOnlyIsRefusedBeforeTraining() {
        Map<Integer, LabelledEmbeddings> folds = new HashMap<>();
        for (int f = 0; f < 4; f++) {
            folds.put(f, LabelledEmbeddings.of(new float[] {1, 2, 3, 4}, 2,
                    new boolean[] {false, false}, "fold " + f));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().run(folds));
        assertTrue(e.getMessage().contains("negative labels only"), e.getMessage());
    }

    @Test
    void listenerSeesEveryTrialOnce() {
        List<Integer> seen = new ArrayList<>();
        List<Integer> done = new ArrayList<>();
        SearchResult r = small().withThreads(3).run(folds(4, 30, 4, 17),
                (t, d, total) -> {
                    seen.add(t.trial());
                    done.add(d);
                    assertEquals(6, total);
                });
        assertEquals(List.of(1, 2, 3, 4, 5, 6), done);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), seen.stream().sorted().toList());
        assertEquals(6, r.trials().size());
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> small().withTrials(0));
        assertThrows(IllegalArgumentException.class, () -> small().withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> small().withRepetitions(0));
        assertThrows(IllegalArgumentException.class, () -> small().withEpochs(-1));
        assertThrows(IllegalArgumentException.class, () -> HeadSearch.sample(0, -1));
        assertThrows(IllegalArgumentException.class,
                () -> new HeadSearch.Parameters(0, 0, 0, true));
        HeadSearch d = HeadSearch.withDefaults();
        assertEquals(20, d.epochs());
        assertEquals(4, d.repetitions());
    }
}
