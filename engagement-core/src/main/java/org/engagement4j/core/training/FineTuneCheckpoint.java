package org.engagement4j.core.training;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.metrics.agreement.ConfusionMatrix;

/**
 * Everything {@link FineTuner} needs to continue a run exactly where it stopped: the weights (double
 * master copies), Adam's first and second moments, the position (epoch, next step within it, the
 * global step that drives Adam's bias correction), the current learning rate, and the settings that
 * must not change on resume. The random state is the seed itself: each epoch's shuffle comes from its
 * own stream derived from (seed, epoch), so (seed, epoch, next step) restores it exactly. The
 * validation-based selection is part of it too: the curve so far (its raw F1 values are the
 * smoothing state), the index of the best evaluation and its weights, and the running sum of the
 * training losses since the last evaluation.
 *
 * <p>File format (big-endian, {@link DataOutputStream}): magic {@code E4JFTCK1}, version 1, the
 * scalar fields, the parameter count, per parameter its name, length and three double arrays
 * (weights, m, v), then (version 2) the selection state: loss sum and steps since the last
 * evaluation, the curve, the best evaluation's index, its weights (count, then name, length and
 * values each); then the CRC-32 of all preceding bytes. Version 1 files (no selection state) are
 * still read, as a run without validation. {@link #write} writes a temporary file
 * beside the target, forces it to disk and renames it over the target, so a crash leaves either the
 * old or the new checkpoint, never a torn one.
 *
 * @param epoch the epoch to continue (1-based)
 * @param nextStep the first optimiser step of that epoch still to do (0-based)
 * @param globalStep optimiser steps done so far
 * @param learningRate the learning rate of {@code epoch}
 * @param seed the run's seed
 * @param batchSize clips per optimiser step
 * @param microBatchSize clips per forward/backward run
 * @param datasetSize the number of training clips
 * @param weights parameter name to weights
 * @param firstMoment parameter name to Adam's m
 * @param secondMoment parameter name to Adam's v
 * @param intervalLossSum the sum of the step losses since the last evaluation
 * @param intervalSteps the steps since the last evaluation
 * @param curve the evaluations so far (empty for a run without validation)
 * @param bestEvaluation the index in {@code curve} of the checkpointed evaluation (0 when empty)
 * @param bestWeights the weights of that evaluation (empty for a run without validation)
 * @since 0.1.0
 */
public record FineTuneCheckpoint(int epoch, int nextStep, long globalStep, double learningRate, long seed,
        int batchSize, int microBatchSize, int datasetSize, Map<String, double[]> weights,
        Map<String, double[]> firstMoment, Map<String, double[]> secondMoment, double intervalLossSum,
        int intervalSteps, List<FineTuneRecord> curve, int bestEvaluation, Map<String, double[]> bestWeights) {

    private static final long MAGIC = 0x45344a4654434b31L; // "E4JFTCK1"
    private static final int VERSION = 2;

    /**
     * Copies the maps and arrays and checks that the three maps have the same names and lengths.
     *
     * @param epoch the epoch to continue
     * @param nextStep the next step within it
     * @param globalStep steps done
     * @param learningRate current learning rate
     * @param seed the seed
     * @param batchSize clips per step
     * @param microBatchSize clips per run
     * @param datasetSize training clips
     * @param weights weights
     * @param firstMoment Adam m
     * @param secondMoment Adam v
     * @param intervalLossSum losses since the last evaluation
     * @param intervalSteps steps since the last evaluation
     * @param curve the evaluations so far
     * @param bestEvaluation the checkpointed evaluation
     * @param bestWeights its weights
     * @throws IllegalArgumentException if the maps disagree, a count is negative or the best index
     *     lies outside the curve
     */
    public FineTuneCheckpoint {
        curve = List.copyOf(curve);
        bestWeights = copy(bestWeights, "bestWeights");
        if (intervalSteps < 0 || bestEvaluation < 0 || (!curve.isEmpty() && bestEvaluation >= curve.size())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "checkpoint selection out of range: %d steps since the last evaluation, best evaluation %d"
                            + " of %d", intervalSteps, bestEvaluation, curve.size()));
        }
        if (epoch < 1 || nextStep < 0 || globalStep < 0 || batchSize < 1 || microBatchSize < 1 || datasetSize < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "checkpoint position out of range: epoch %d, next step %d, global step %d, batch %d,"
                            + " micro-batch %d, dataset %d", epoch, nextStep, globalStep, batchSize,
                    microBatchSize, datasetSize));
        }
        weights = copy(weights, "weights");
        firstMoment = copy(firstMoment, "firstMoment");
        secondMoment = copy(secondMoment, "secondMoment");
        for (Map.Entry<String, double[]> e : weights.entrySet()) {
            double[] m = firstMoment.get(e.getKey());
            double[] v = secondMoment.get(e.getKey());
            if (m == null || v == null || m.length != e.getValue().length || v.length != e.getValue().length) {
                throw new IllegalArgumentException("Adam moments missing or misshapen for parameter " + e.getKey());
            }
        }
        if (firstMoment.size() != weights.size() || secondMoment.size() != weights.size()) {
            throw new IllegalArgumentException("Adam moments name parameters that have no weights");
        }
    }

    private static Map<String, double[]> copy(Map<String, double[]> in, String what) {
        Map<String, double[]> out = new LinkedHashMap<>();
        Objects.requireNonNull(in, what).forEach((k, v) -> out.put(k, Objects.requireNonNull(v, what + " " + k).clone()));
        return Collections.unmodifiableMap(out);
    }

    /** @return copies of the weights */
    @Override
    public Map<String, double[]> weights() {
        return copy(weights, "weights");
    }

    /** @return copies of Adam's first moments */
    @Override
    public Map<String, double[]> firstMoment() {
        return copy(firstMoment, "firstMoment");
    }

    /** @return copies of Adam's second moments */
    @Override
    public Map<String, double[]> secondMoment() {
        return copy(secondMoment, "secondMoment");
    }

    /** @return copies of the checkpointed evaluation's weights */
    @Override
    public Map<String, double[]> bestWeights() {
        return copy(bestWeights, "bestWeights");
    }

    /**
     * Writes the checkpoint atomically (temporary file, fsync, rename).
     *
     * @param file the target; its parent folder is created if missing
     * @throws IOException if writing fails (the old file, if any, is left as it was)
     */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, raw -> {
            try (CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
                    DataOutputStream out = new DataOutputStream(checked)) {
                out.writeLong(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(epoch);
                out.writeInt(nextStep);
                out.writeLong(globalStep);
                out.writeDouble(learningRate);
                out.writeLong(seed);
                out.writeInt(batchSize);
                out.writeInt(microBatchSize);
                out.writeInt(datasetSize);
                out.writeInt(weights.size());
                for (Map.Entry<String, double[]> e : weights.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue().length);
                    for (double[] a : new double[][] {e.getValue(), firstMoment.get(e.getKey()),
                        secondMoment.get(e.getKey())}) {
                        for (double d : a) {
                            out.writeDouble(d);
                        }
                    }
                }
                out.writeDouble(intervalLossSum);
                out.writeInt(intervalSteps);
                out.writeInt(curve.size());
                for (FineTuneRecord r : curve) {
                    writeRecord(out, r);
                }
                out.writeInt(bestEvaluation);
                out.writeInt(bestWeights.size());
                for (Map.Entry<String, double[]> e : bestWeights.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue().length);
                    for (double d : e.getValue()) {
                        out.writeDouble(d);
                    }
                }
                out.flush();
                out.writeLong(checked.getChecksum().getValue());
            }
        }, AtomicFiles.Sync.FSYNC);
    }

    /**
     * Reads a checkpoint written by {@link #write}.
     *
     * @param file the file
     * @return the checkpoint
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a fine-tuning checkpoint, has another version, is
     *     truncated or fails its checksum (the message names the file)
     */
    public static FineTuneCheckpoint read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, 1 << 16),
                        new CRC32());
                DataInputStream in = new DataInputStream(checked)) {
            if (in.readLong() != MAGIC) {
                throw new IllegalArgumentException(file + " is not a fine-tuning checkpoint (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION && version != 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: checkpoint version %d, this library reads %d", file, version, VERSION));
            }
            int epoch = in.readInt();
            int nextStep = in.readInt();
            long globalStep = in.readLong();
            double lr = in.readDouble();
            long seed = in.readLong();
            int batch = in.readInt();
            int micro = in.readInt();
            int size = in.readInt();
            int count = in.readInt();
            Map<String, double[]> w = new LinkedHashMap<>();
            Map<String, double[]> m = new LinkedHashMap<>();
            Map<String, double[]> v = new LinkedHashMap<>();
            for (int p = 0; p < count; p++) {
                String name = in.readUTF();
                int len = in.readInt();
                if (len < 0 || len > Files.size(file) / 24) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: parameter '%s' claims %d values, more than the file holds", file, name, len));
                }
                for (Map<String, double[]> target : List.of(w, m, v)) {
                    double[] a = new double[len];
                    for (int i = 0; i < len; i++) {
                        a[i] = in.readDouble();
                    }
                    target.put(name, a);
                }
            }
            double lossSum = 0;
            int steps = 0;
            List<FineTuneRecord> curve = new ArrayList<>();
            int best = 0;
            Map<String, double[]> bw = new LinkedHashMap<>();
            if (version >= 2) {
                lossSum = in.readDouble();
                steps = in.readInt();
                int points = in.readInt();
                if (points < 0 || points > Files.size(file) / 20) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: claims %d evaluations, more than the file holds", file, points));
                }
                for (int i = 0; i < points; i++) {
                    curve.add(readRecord(in));
                }
                best = in.readInt();
                int bestCount = in.readInt();
                for (int p = 0; p < bestCount; p++) {
                    String name = in.readUTF();
                    int len = in.readInt();
                    if (len < 0 || len > Files.size(file) / 8) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "%s: best weights '%s' claim %d values, more than the file holds", file, name, len));
                    }
                    double[] a = new double[len];
                    for (int i = 0; i < len; i++) {
                        a[i] = in.readDouble();
                    }
                    bw.put(name, a);
                }
            }
            long crc = checked.getChecksum().getValue();
            if (in.readLong() != crc) {
                throw new IllegalArgumentException(file + ": checksum mismatch; the checkpoint is damaged");
            }
            return new FineTuneCheckpoint(epoch, nextStep, globalStep, lr, seed, batch, micro, size, w, m, v,
                    lossSum, steps, curve, best, bw);
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException(file + ": truncated fine-tuning checkpoint", e);
        }
    }

    private static void writeRecord(DataOutputStream out, FineTuneRecord r) throws IOException {
        out.writeInt(r.evaluation());
        out.writeInt(r.epoch());
        out.writeLong(r.globalStep());
        out.writeDouble(r.trainLoss());
        out.writeBoolean(r.validation().isPresent());
        if (r.validation().isPresent()) {
            SplitMetrics v = r.validation().get();
            out.writeDouble(v.loss());
            ConfusionMatrix c = v.confusion();
            out.writeLong(c.truePositives());
            out.writeLong(c.falsePositives());
            out.writeLong(c.falseNegatives());
            out.writeLong(c.trueNegatives());
            out.writeDouble(r.smoothedValidationF1().getAsDouble());
        }
    }

    private static FineTuneRecord readRecord(DataInputStream in) throws IOException {
        int evaluation = in.readInt();
        int epoch = in.readInt();
        long step = in.readLong();
        double trainLoss = in.readDouble();
        if (!in.readBoolean()) {
            return new FineTuneRecord(evaluation, epoch, step, trainLoss, Optional.empty(), OptionalDouble.empty());
        }
        double loss = in.readDouble();
        ConfusionMatrix c = ConfusionMatrix.ofCounts(in.readLong(), in.readLong(), in.readLong(), in.readLong());
        double smoothed = in.readDouble();
        return new FineTuneRecord(evaluation, epoch, step, trainLoss, Optional.of(new SplitMetrics(loss, c)),
                OptionalDouble.of(smoothed));
    }
}
