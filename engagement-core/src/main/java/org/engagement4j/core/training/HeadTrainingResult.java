package org.engagement4j.core.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.engagement4j.metrics.agreement.ConfusionMatrix;

/**
 * The outcome of {@link HeadTrainer#train}: the checkpointed head, the final head, every epoch's
 * record and why the run stopped.
 *
 * @param settings the trainer that ran
 * @param initialHead the head the run started from
 * @param bestHead the checkpoint: the head of {@code bestEpoch} (the final head when no validation
 *     set was given)
 * @param bestEpoch the epoch of the checkpoint, 0 when no later epoch beat the initial head
 * @param finalHead the head after the last completed epoch
 * @param history the records of epochs {@code 0 .. last completed}, in order
 * @param stopReason why the run ended
 * @param stopDetail for {@link StopReason#NON_FINITE}, what became non-finite; empty otherwise
 * @param positiveRate the training labels' positive rate {@code p}
 * @param classWeights {@code [1/(1-p), 1/p]} when class weights were on, else empty
 * @since 0.1.0
 */
public record HeadTrainingResult(HeadTrainer settings, LinearHead initialHead,
        LinearHead bestHead, int bestEpoch, LinearHead finalHead, List<EpochRecord> history,
        StopReason stopReason, String stopDetail, double positiveRate,
        List<Double> classWeights) {

    /** Why a run ended. */
    public enum StopReason {
        /** Every epoch ran. */
        COMPLETED,
        /**
         * A loss or a parameter became NaN or infinite (the learning rate is too large for the
         * data); the run stopped before recording that epoch and kept its last good checkpoint.
         */
        NON_FINITE
    }

    /**
     * Copies the lists.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the history is empty or does not cover
     *     {@code bestEpoch}
     */
    public HeadTrainingResult {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(initialHead, "initialHead");
        Objects.requireNonNull(bestHead, "bestHead");
        Objects.requireNonNull(finalHead, "finalHead");
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(stopDetail, "stopDetail");
        history = List.copyOf(history);
        classWeights = List.copyOf(classWeights);
        if (history.isEmpty() || bestEpoch < 0 || bestEpoch >= history.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "best epoch %d outside the %d recorded epochs", bestEpoch, history.size()));
        }
    }

    /** @return the record of the checkpointed epoch */
    public EpochRecord bestRecord() {
        return history.get(bestEpoch);
    }

    /** @return the last completed epoch (0 when none ran) */
    public int lastEpoch() {
        return history.size() - 1;
    }

    /**
     * The history as CSV (comma-separated, one header line, one line per epoch, numbers with
     * {@code Locale.ROOT}): {@code epoch, learning_rate}, then for {@code train},
     * {@code validation} and {@code test}: {@code _loss, _accuracy, _f1, _tp, _fp, _fn, _tn}
     * (empty cells for a set not given), {@code validation_smoothed_f1} and {@code checkpoint}
     * (1 on the checkpointed epoch).
     *
     * @return the text
     */
    public String historyCsv() {
        StringBuilder sb = new StringBuilder("epoch,learning_rate");
        for (String s : List.of("train", "validation", "test")) {
            for (String c : List.of("loss", "accuracy", "f1", "tp", "fp", "fn", "tn")) {
                sb.append(',').append(s).append('_').append(c);
            }
        }
        sb.append(",validation_smoothed_f1,checkpoint\n");
        for (EpochRecord r : history) {
            sb.append(r.epoch()).append(',').append(num(r.learningRate()));
            cells(sb, Optional.of(r.train()));
            cells(sb, r.validation());
            cells(sb, r.test());
            sb.append(',');
            if (r.smoothedValidationF1().isPresent()) {
                sb.append(num(r.smoothedValidationF1().getAsDouble()));
            }
            sb.append(',').append(r.epoch() == bestEpoch ? 1 : 0).append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes {@link #historyCsv()} (UTF-8), replacing the file.
     *
     * @param file the target
     * @throws IOException if it cannot be written
     */
    public void writeHistoryCsv(Path file) throws IOException {
        Files.writeString(Objects.requireNonNull(file, "file"), historyCsv(),
                StandardCharsets.UTF_8);
    }

    private static void cells(StringBuilder sb, Optional<SplitMetrics> m) {
        if (m.isEmpty()) {
            sb.append(",,,,,,,");
            return;
        }
        ConfusionMatrix c = m.get().confusion();
        sb.append(',').append(num(m.get().loss())).append(',').append(num(m.get().accuracy()))
                .append(',').append(num(m.get().f1())).append(',').append(c.truePositives())
                .append(',').append(c.falsePositives()).append(',').append(c.falseNegatives())
                .append(',').append(c.trueNegatives());
    }

    private static String num(double v) {
        return Double.toString(v);
    }
}
