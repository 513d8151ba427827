package org.engagement4j.core.training;

import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint rule shared by {@link HeadTrainer} and {@link FineTuner} (REFERENCE.md §6): the
 * smoothed validation F1 of evaluation {@code e} is the mean raw F1 over evaluations
 * {@code max(0, e - w) .. e}; evaluation 0 (the untrained model) is the first candidate with its
 * raw F1; a later evaluation becomes the checkpoint when {@code e >} warm-up and its smoothed F1
 * is strictly above the best so far. Mutable, one per run; its whole state is the raw F1 list
 * and the best index, so a checkpoint file can restore it.
 */
final class SmoothedSelection {

    private final int window;
    private final int warmup;
    private final List<Double> raw;
    private double best;
    private int bestIndex;
    private boolean improved;

    private SmoothedSelection(int window, int warmup, List<Double> raw, int bestIndex) {
        this.window = window;
        this.warmup = warmup;
        this.raw = new ArrayList<>(raw);
        this.bestIndex = bestIndex;
        this.best = smoothedAt(bestIndex);
    }

    /** Starts a run whose evaluation 0 scored {@code initialF1}. */
    static SmoothedSelection start(int window, int warmup, double initialF1) {
        return new SmoothedSelection(window, warmup, List.of(initialF1), 0);
    }

    /** Continues a run from its raw F1 history and the index of its checkpoint. */
    static SmoothedSelection restore(int window, int warmup, List<Double> rawF1, int bestIndex) {
        if (rawF1.isEmpty() || bestIndex < 0 || bestIndex >= rawF1.size()) {
            throw new IllegalArgumentException("selection state: best index " + bestIndex
                    + " outside the " + rawF1.size() + " evaluations");
        }
        return new SmoothedSelection(window, warmup, rawF1, bestIndex);
    }

    /**
     * Records the next evaluation's raw F1.
     *
     * @return its smoothed F1
     */
    double add(double f1) {
        raw.add(f1);
        int e = raw.size() - 1;
        double s = smoothedAt(e);
        improved = e > warmup && s > best;
        if (improved) {
            best = s;
            bestIndex = e;
        }
        return s;
    }

    private double smoothedAt(int e) {
        int from = Math.max(0, e - window);
        double s = 0;
        for (int i = from; i <= e; i++) {
            s += raw.get(i);
        }
        return s / (e - from + 1);
    }

    /** @return whether the last {@link #add} became the checkpoint */
    boolean improved() {
        return improved;
    }

    /** @return the checkpoint's index */
    int bestIndex() {
        return bestIndex;
    }

    /** @return the checkpoint's score (raw F1 for evaluation 0, smoothed after) */
    double best() {
        return best;
    }
}
