package org.engagement4j.core.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.commons.rng.UniformRandomProvider;
import org.engagement4j.core.internal.Seeds;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a whole network (REFERENCE.md §6: every weight of mc3_18 and the head) on CPU with
 * ONNX Runtime computing the gradients ({@link NetworkGradients}) and Adam running in Java.
 *
 * <p>Per epoch the training clips are shuffled (a stream derived from the seed and the epoch) and cut
 * into optimiser steps of {@code batchSize} clips (the last one may be smaller); each step runs its
 * clips in micro-batches of {@code microBatchSize} and accumulates their gradients, each computed with
 * the class-weight sum of the whole step as normaliser, so the step's gradient is that of
 * {@code L = sum_i w[y_i] nll_i / sum_i w[y_i]} over the step's clips whatever the micro-batch size.
 * Class weights {@code [1/(1-p), 1/p]} use the positive rate p of the whole training set.
 *
 * <p>Adam as torch's {@code Adam(weight_decay=wd)} (coupled decay, as {@link HeadTrainer}):
 * {@code g += wd theta; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * theta -= lr / (1-b1^t) m / (sqrt(v) / sqrt(1-b2^t) + eps)} with t the global step, b1 = 0.9,
 * b2 = 0.999, eps = 1e-8, in double on master copies of the weights (the graph runs their float32
 * rounding). The learning rate is multiplied by {@code 1 - decay} after each epoch
 * (torch's ExponentialLR).
 *
 * <p>BatchNorm: the mc3 graphs fold BatchNorm into the convolutions, i.e. BatchNorm runs in inference
 * mode with frozen running statistics and the folded convolution weights and biases are trained.
 *
 * <p>Selection: with a validation set the weights are evaluated at every epoch's end (or every
 * {@code k} steps) and the evaluation with the best smoothed validation F1 after the warm-up is
 * kept, by {@link HeadTrainer}'s rule; the curve (training loss, validation loss and F1 per
 * evaluation) is part of the result and of the checkpoints. Epoch {@code e} trains on
 * {@link LabelledClips#forEpoch forEpoch(e)} of the training set: fresh snippets and augmentation
 * per epoch for sets drawn from sessions.
 *
 * <p>Checkpoints ({@link FineTuneCheckpoint}) are written atomically every {@code checkpointEvery}
 * steps and at the end of every epoch; {@link #train} with an existing checkpoint file resumes from it
 * and reaches, bit for bit, the weights of an uninterrupted run. A NaN or infinite loss or weight
 * stops the run with {@link FineTuneResult.StopReason#NON_FINITE}, keeping the last good weights and
 * checkpoint. Defaults are the reference's final fine-tuning settings: 5000 epochs, batch 64,
 * learning rate 1e-6, decay 0.001, weight decay 2.43e-3, class weights on.
 *
 * @since 0.1.0
 */
public final class FineTuner {

    /** Default epochs (REFERENCE.md §6). */
    public static final int DEFAULT_EPOCHS = 5000;
    /** Default clips per optimiser step. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Default clips per forward/backward run. */
    public static final int DEFAULT_MICRO_BATCH_SIZE = 8;
    /** Default learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 1e-6;
    /** Default per-epoch learning-rate decay. */
    public static final double DEFAULT_LEARNING_RATE_DECAY = 0.001;
    /** Default coupled weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 2.43e-3;
    /** Default steps between checkpoints. */
    public static final int DEFAULT_CHECKPOINT_EVERY = 50;

    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    /** Called after every optimiser step (after its checkpoint, if any, is written). */
    @FunctionalInterface
    public interface StepListener {
        /**
         * @param epoch the epoch (1-based)
         * @param step the step within the epoch (1-based)
         * @param stepsPerEpoch steps per epoch
         * @param globalStep steps done in total
         * @param loss the step's training loss
         */
        void stepDone(int epoch, int step, int stepsPerEpoch, long globalStep, double loss);
    }

    private final int epochs;
    private final int batchSize;
    private final int microBatchSize;
    private final double learningRate;
    private final double learningRateDecay;
    private final double weightDecay;
    private final boolean classWeights;
    private final long seed;
    private final int checkpointEvery;
    private final int validationEvery;
    private final int smoothingWindow;
    private final int warmupEpochs;

    private FineTuner(int epochs, int batchSize, int microBatchSize, double learningRate, double learningRateDecay,
            double weightDecay, boolean classWeights, long seed, int checkpointEvery, int validationEvery,
            int smoothingWindow, int warmupEpochs) {
        this.validationEvery = validationEvery;
        this.smoothingWindow = smoothingWindow;
        this.warmupEpochs = warmupEpochs;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.microBatchSize = microBatchSize;
        this.learningRate = learningRate;
        this.learningRateDecay = learningRateDecay;
        this.weightDecay = weightDecay;
        this.classWeights = classWeights;
        this.seed = seed;
        this.checkpointEvery = checkpointEvery;
    }

    /** @return the reference's settings, seed 0 */
    public static FineTuner withDefaults() {
        return new FineTuner(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_MICRO_BATCH_SIZE, DEFAULT_LEARNING_RATE,
                DEFAULT_LEARNING_RATE_DECAY, DEFAULT_WEIGHT_DECAY, true, 0, DEFAULT_CHECKPOINT_EVERY, 0,
                HeadTrainer.DEFAULT_SMOOTHING_WINDOW, HeadTrainer.DEFAULT_WARMUP_EPOCHS);
    }

    /**
     * @param n epochs, at least 1
     * @return a copy with that setting
     * @throws IllegalArgumentException if n is below 1
     */
    public FineTuner withEpochs(int n) {
        positive(n, "epochs");
        return new FineTuner(n, batchSize, microBatchSize, learningRate, learningRateDecay, weightDecay,
                classWeights, seed, checkpointEvery, validationEvery, smoothingWindow, warmupEpochs);
    }

    /**
     * @param n clips per optimiser step, at least 1
     * @return a copy with that setting
     * @throws IllegalArgumentException if n is below 1
     */
    public FineTuner withBatchSize(int n) {
        positive(n, "batch size");
        return new FineTuner(epochs, n, microBatchSize, learningRate, learningRateDecay, weightDecay,
                classWeights, seed, checkpointEvery, validationEvery, smoothingWindow, warmupEpochs);
    }

    /**
     * @param n clips per forward/backward run (memory bound), at least 1; gradients of
     *     {@code ceil(batch / n)} runs are accumulated per step
     * @return a copy with that setting
     * @throws IllegalArgumentException if n is below 1
     */
    public FineTuner withMicroBatchSize(int n) {
        positive(n, "micro-batch size");
        return new FineTuner(epochs, batchSize, n, learningRate, learningRateDecay, weightDecay,
                classWeights, seed, checkpointEvery, validationEvery, smoothingWindow, warmupEpochs);
    }

    /**
     * @param lr the initial learning rate, positive and finite
     * @return a copy with that setting
     * @throws IllegalArgumentException if not positive and finite
     */
    public FineTuner withLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        }
        return new FineTuner(epochs, batchSize, microBatchSize, lr, learningRateDecay, weightDecay,
                classWeights, seed, checkpointEvery, validationEvery, smoothingWindow, warmupEpochs);
    }

    /**
     * @param decay the per-epoch decay in [0, 1): lr is multiplied by 1 - decay after each epoch
     * @return a copy with that setting
     * @throws IllegalArgumentException if outside [0, 1)
     */
    public FineTuner withLearningRateDecay(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("learning-rate decay must be in [0, 1), got " + decay);
        }
        return new FineTuner(epochs, batchSize, microBatchSize, learningRate, decay, weightDecay,
                classWeights, seed, checkpointEvery, validationEvery, smoothingWindow, warmupEpochs);
    }

    /**
     * @param wd coupled weight decay, non-negative and finite
     * @return a copy with that setting
     * @throws IllegalArgumentException if negative or not finite
     */
    public FineTuner withWeightDecay(double wd) {
        if (!(wd >= 0) || !Double.isFinite(wd)) {
            throw new IllegalArgumentException("weight decay must be non-negative and finite, got " + wd);
        }
        return new FineTuner(epochs, batchSize, microBatchSize, learningRate, learningRateDecay, wd,
                classWeights, seed, checkpointEvery, validationEvery, smoothingWindow, warmupEpochs);
    }

    /**
     * @param on whether to weight the classes by [1/(1-p), 1/p]
     * @return a copy with that setting
     */
    public FineTuner withClassWeights(boolean on) {
        return new FineTuner(epochs, batchSize, microBatchSize, learningRate, learningRateDecay, weightDecay,
                on, seed, checkpointEvery, validationEvery, smoothingWindow, warmupEpochs);
    }

    /**
     * @param s the seed of the shuffles
     * @return a copy with that setting
     */
    public FineTuner withSeed(long s) {
        return new FineTuner(epochs, batchSize, microBatchSize, learningRate, learningRateDecay, weightDecay,
                classWeights, s, checkpointEvery, validationEvery, smoothingWindow, warmupEpochs);
    }

    /**
     * @param steps optimiser steps between checkpoints, at least 1 (one is also written at every
     *     epoch's end)
     * @return a copy with that setting
     * @throws IllegalArgumentException if below 1
     */
    public FineTuner withCheckpointEvery(int steps) {
        positive(steps, "checkpoint interval");
        return new FineTuner(epochs, batchSize, microBatchSize, learningRate, learningRateDecay, weightDecay,
                classWeights, seed, steps, validationEvery, smoothingWindow, warmupEpochs);
    }

    /**
     * Trains without a validation set: the final weights are the result (see
     * {@link #train(NetworkGradients, LabelledClips, Optional, Optional, StepListener)}).
     *
     * @param net the gradient engine
     * @param data the training clips (both classes present)
     * @param checkpoint where to write checkpoints and resume from; empty for none
     * @param listener called after every step
     * @return the final weights and the losses
     * @throws ModelException if ONNX Runtime fails
     * @throws IllegalArgumentException as the full method
     * @throws UncheckedIOException if a checkpoint cannot be read or written
     */
    public FineTuneResult train(NetworkGradients net, LabelledClips data, Optional<Path> checkpoint,
            StepListener listener) throws ModelException {
        return train(net, data, Optional.empty(), checkpoint, listener);
    }

    /**
     * Trains from the network's own weights, or resumes from {@code checkpoint} when that file exists.
     * A resumed run continues with the checkpoint's weights, Adam moments, position, learning
     * rate and selection state (curve, best evaluation and its weights); this configuration's epoch
     * count (which may extend the run), decay, weight decay and class-weight switch apply from there
     * on, while its seed, batch sizes, validation interval and the dataset size must equal the
     * checkpoint's, and the validation set must be the same.
     *
     * <p>Epoch {@code e} trains on {@code data.forEpoch(e)} (fresh snippets and augmentation for a
     * {@link SampledClips}; the same clips for sets in memory). The class weights come from the
     * positive rate of {@code data} itself (epoch 1) and stay fixed.
     *
     * <p>With a validation set, the starting weights are evaluation 0; then the weights are
     * evaluated at the end of every epoch ({@link #withValidationEvery} 0) or every {@code k} global
     * steps, and the evaluation with the best smoothed validation F1 after the warm-up is the
     * checkpoint, by the rule of {@link HeadTrainer} (same window, same warm-up, strict
     * improvement). Its weights are {@link FineTuneResult#bestWeights()}.
     *
     * @param net the gradient engine (its {@link NetworkGradients#initialWeights()} start a fresh run)
     * @param data the training clips (both classes present)
     * @param validation the checkpointing clips (their own shape, e.g. the test transform's larger
     *     crop, when the model accepts it); empty for none
     * @param checkpoint where to write checkpoints and resume from; empty for none
     * @param listener called after every step; an exception it throws ends the run with the last
     *     checkpoint kept (how the tests simulate a crash)
     * @return final and checkpointed weights, the losses and the curve
     * @throws ModelException if ONNX Runtime fails
     * @throws IllegalArgumentException if the data have one class only, the starting network's
     *     validation loss is not finite, or the
     *     checkpoint belongs to another run (other seed, batch settings, dataset size, parameters or
     *     validation)
     * @throws UncheckedIOException if a checkpoint cannot be read or written
     */
    public FineTuneResult train(NetworkGradients net, LabelledClips data, Optional<LabelledClips> validation,
            Optional<Path> checkpoint, StepListener listener) throws ModelException {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(listener, "listener");
        int n = data.size();
        double p = positiveRate(data);
        if (p == 0 || p == 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "training set %s: all %d labels are %s; a network cannot be fine-tuned on one class",
                    data.name(), n, p == 0 ? "negative" : "positive"));
        }
        long[] clipShape = data.clipShape();
        double[] cw = classWeightsFor(p);
        List<String> names = net.parameterNames();
        Map<String, double[]> w = new LinkedHashMap<>();
        Map<String, double[]> m = new LinkedHashMap<>();
        Map<String, double[]> v = new LinkedHashMap<>();
        int startEpoch = 1;
        int startStep = 0;
        long t = 0;
        double lr = learningRate;
        List<FineTuneRecord> curve = new ArrayList<>();
        Map<String, double[]> bestW = new LinkedHashMap<>();
        SmoothedSelection selection = null;
        double intervalSum = 0;
        int intervalSteps = 0;
        Optional<FineTuneCheckpoint> resume = checkpoint.filter(Files::exists).map(FineTuner::readCheckpoint);
        if (resume.isPresent()) {
            FineTuneCheckpoint c = resume.get();
            checkCompatible(c, names, n, checkpoint.get(), validation.isPresent());
            w.putAll(c.weights());
            m.putAll(c.firstMoment());
            v.putAll(c.secondMoment());
            startEpoch = c.epoch();
            startStep = c.nextStep();
            t = c.globalStep();
            lr = c.learningRate();
            curve.addAll(c.curve());
            bestW.putAll(c.bestWeights());
            intervalSum = c.intervalLossSum();
            intervalSteps = c.intervalSteps();
            if (validation.isPresent()) {
                List<Double> raw = new ArrayList<>(curve.size());
                curve.forEach(r -> raw.add(r.validation().orElseThrow().f1()));
                selection = SmoothedSelection.restore(smoothingWindow, warmupEpochs, raw, c.bestEvaluation());
            }
            LOG.info("resuming fine-tuning on {} from {} at epoch {} step {} (global step {})", data.name(),
                    checkpoint.get(), startEpoch, startStep, t);
        } else {
            net.initialWeights().forEach((k, f) -> {
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                w.put(k, d);
                m.put(k, new double[f.length]);
                v.put(k, new double[f.length]);
            });
            Optional<SplitMetrics> val0 = validation.isPresent()
                    ? Optional.of(evaluate(net, toFloats(w), validation.get(), cw)) : Optional.empty();
            if (val0.isPresent()) {
                if (!Double.isFinite(val0.get().loss())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "validation set %s: the starting network's loss is %s; check the clips and the"
                                    + " model for NaN or infinite values", validation.get().name(),
                            val0.get().loss()));
                }
                selection = SmoothedSelection.start(smoothingWindow, warmupEpochs, val0.get().f1());
                w.forEach((k, d) -> bestW.put(k, d.clone()));
            }
            curve.add(new FineTuneRecord(0, 0, 0, Double.NaN, val0,
                    val0.isPresent() ? OptionalDouble.of(val0.get().f1()) : OptionalDouble.empty()));
        }
        long resumedFrom = t;
        int clipSize = Math.toIntExact(product(clipShape));
        List<Double> losses = new ArrayList<>();
        FineTuneResult.StopReason stop = FineTuneResult.StopReason.COMPLETED;
        String detail = "";
        int completedEpochs = startEpoch - 1;
        outer:
        for (int e = startEpoch; e <= epochs; e++) {
            LabelledClips epochData = data.forEpoch(e);
            int ne = epochData.size();
            int stepsPerEpoch = (ne + batchSize - 1) / batchSize;
            int[] order = permutation(ne, e);
            for (int s = (e == startEpoch ? startStep : 0); s < stepsPerEpoch; s++) {
                int from = s * batchSize;
                int to = Math.min(ne, from + batchSize);
                double normaliser = 0;
                for (int i = from; i < to; i++) {
                    normaliser += cw[epochData.label(order[i]) ? 1 : 0];
                }
                Map<String, float[]> feed = toFloats(w);
                Map<String, double[]> grad = new LinkedHashMap<>();
                double nll = 0;
                for (int mb = from; mb < to; mb += microBatchSize) {
                    int count = Math.min(to, mb + microBatchSize) - mb;
                    int[] rows = java.util.Arrays.copyOfRange(order, mb, mb + count);
                    float[] clips = gather(epochData, rows, clipSize);
                    boolean[] labels = new boolean[count];
                    for (int j = 0; j < count; j++) {
                        labels[j] = epochData.label(rows[j]);
                    }
                    BatchGradient g = net.compute(feed, clips, batchShape(count, clipShape), labels, cw, normaliser);
                    nll += g.weightedNll();
                    for (Map.Entry<String, double[]> ge : g.gradients().entrySet()) {
                        double[] acc = grad.get(ge.getKey());
                        if (acc == null) {
                            grad.put(ge.getKey(), ge.getValue());
                        } else {
                            double[] add = ge.getValue();
                            for (int i = 0; i < acc.length; i++) {
                                acc[i] += add[i];
                            }
                        }
                    }
                }
                double loss = nll / normaliser;
                if (!Double.isFinite(loss)) {
                    stop = FineTuneResult.StopReason.NON_FINITE;
                    detail = String.format(Locale.ROOT, "the loss of epoch %d step %d is %s", e, s + 1, loss);
                    break outer;
                }
                long step = t + 1;
                double c1 = 1 - Math.pow(HeadTrainer.BETA1, step);
                double c2 = Math.sqrt(1 - Math.pow(HeadTrainer.BETA2, step));
                Map<String, double[]> nw = new LinkedHashMap<>();
                Map<String, double[]> nm = new LinkedHashMap<>();
                Map<String, double[]> nv = new LinkedHashMap<>();
                for (String name : names) {
                    double[] theta = w.get(name).clone();
                    double[] mm = m.get(name).clone();
                    double[] vv = v.get(name).clone();
                    adam(theta, grad.get(name), mm, vv, lr, weightDecay, c1, c2);
                    String bad = firstNonFinite(theta);
                    if (bad != null) {
                        stop = FineTuneResult.StopReason.NON_FINITE;
                        detail = String.format(Locale.ROOT, "the step of epoch %d step %d made %s %s", e, s + 1,
                                name, bad);
                        break outer;
                    }
                    nw.put(name, theta);
                    nm.put(name, mm);
                    nv.put(name, vv);
                }
                boolean epochEnd = s == stepsPerEpoch - 1;
                boolean evaluate = validationEvery == 0 ? epochEnd : step % validationEvery == 0;
                Optional<SplitMetrics> val = Optional.empty();
                if (evaluate && validation.isPresent()) {
                    val = Optional.of(evaluate(net, toFloats(nw), validation.get(), cw));
                    if (!Double.isFinite(val.get().loss())) {
                        stop = FineTuneResult.StopReason.NON_FINITE;
                        detail = String.format(Locale.ROOT, "the validation loss after epoch %d step %d is %s", e,
                                s + 1, val.get().loss());
                        break outer;
                    }
                }
                w.putAll(nw);
                m.putAll(nm);
                v.putAll(nv);
                t = step;
                losses.add(loss);
                intervalSum += loss;
                intervalSteps++;
                if (evaluate) {
                    OptionalDouble smoothed = OptionalDouble.empty();
                    if (selection != null) {
                        smoothed = OptionalDouble.of(selection.add(val.orElseThrow().f1()));
                        if (selection.improved()) {
                            bestW.clear();
                            w.forEach((k, d) -> bestW.put(k, d.clone()));
                        }
                    }
                    curve.add(new FineTuneRecord(curve.size(), e, t, intervalSum / intervalSteps, val, smoothed));
                    intervalSum = 0;
                    intervalSteps = 0;
                }
                if (checkpoint.isPresent() && (epochEnd || t % checkpointEvery == 0)) {
                    double nextLr = epochEnd ? lr * (1 - learningRateDecay) : lr;
                    FineTuneCheckpoint c = new FineTuneCheckpoint(epochEnd ? e + 1 : e, epochEnd ? 0 : s + 1, t,
                            nextLr, seed, batchSize, microBatchSize, n, w, m, v, intervalSum, intervalSteps, curve,
                            selection == null ? 0 : selection.bestIndex(), bestW);
                    try {
                        c.write(checkpoint.get());
                    } catch (IOException ex) {
                        throw new UncheckedIOException("cannot write the fine-tuning checkpoint "
                                + checkpoint.get(), ex);
                    }
                }
                listener.stepDone(e, s + 1, stepsPerEpoch, t, loss);
            }
            completedEpochs = e;
            lr *= 1 - learningRateDecay;
        }
        if (stop != FineTuneResult.StopReason.COMPLETED) {
            LOG.warn("fine-tuning on {} stopped after global step {}: {}; keeping the weights before it"
                    + " and the last checkpoint", data.name(), t, detail);
        }
        Map<String, float[]> finalW = toFloats(w);
        return new FineTuneResult(finalW, losses, t, completedEpochs, resumedFrom, stop, detail, curve,
                selection == null ? curve.size() - 1 : selection.bestIndex(),
                selection == null ? finalW : toFloats(bestW));
    }

    /**
     * Evaluates weights on a set: the mean cross-entropy (class-weighted by
     * {@code [1/(1-p), 1/p]} with {@code p = trainingPositiveRate} when this tuner's class weights are
     * on, as the training loss) and the confusion of the argmax predictions (class 0 on a tie), in
     * micro-batches of {@link #microBatchSize()}.
     *
     * @param net the engine
     * @param weights parameter name to values
     * @param set the clips
     * @param trainingPositiveRate the positive rate of the training set, in (0, 1)
     * @return loss and confusion (a NaN loss when a logit is NaN)
     * @throws ModelException if ONNX Runtime fails
     * @throws IllegalArgumentException if the rate is outside (0, 1) or a clip has the wrong size
     */
    public SplitMetrics evaluate(NetworkGradients net, Map<String, float[]> weights, LabelledClips set,
            double trainingPositiveRate) throws ModelException {
        if (!(trainingPositiveRate > 0 && trainingPositiveRate < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "training positive rate %s: must be in (0, 1)", trainingPositiveRate));
        }
        return evaluate(Objects.requireNonNull(net, "net"), Objects.requireNonNull(weights, "weights"),
                Objects.requireNonNull(set, "set"), classWeightsFor(trainingPositiveRate));
    }

    private SplitMetrics evaluate(NetworkGradients net, Map<String, float[]> weights, LabelledClips set,
            double[] cw) throws ModelException {
        long[] clipShape = set.clipShape();
        int clipSize = Math.toIntExact(product(clipShape));
        double nll = 0;
        double wsum = 0;
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int from = 0; from < set.size(); from += microBatchSize) {
            int count = Math.min(set.size(), from + microBatchSize) - from;
            int[] rows = new int[count];
            for (int j = 0; j < count; j++) {
                rows[j] = from + j;
            }
            float[] z = net.logits(weights, gather(set, rows, clipSize), batchShape(count, clipShape));
            for (int j = 0; j < count; j++) {
                double z0 = z[2 * j];
                double z1 = z[2 * j + 1];
                boolean y = set.label(rows[j]);
                double mx = Math.max(z0, z1);
                double lse = mx + Math.log(Math.exp(z0 - mx) + Math.exp(z1 - mx));
                double c = cw[y ? 1 : 0];
                nll += c * (lse - (y ? z1 : z0));
                wsum += c;
                boolean pred = z1 > z0;
                if (y) {
                    tp += pred ? 1 : 0;
                    fn += pred ? 0 : 1;
                } else {
                    fp += pred ? 1 : 0;
                    tn += pred ? 0 : 1;
                }
            }
        }
        return new SplitMetrics(nll / wsum, ConfusionMatrix.ofCounts(tp, fp, fn, tn));
    }

    private double[] classWeightsFor(double p) {
        return classWeights ? new double[] {1 / (1 - p), 1 / p} : new double[] {1, 1};
    }

    /** @return the share of class-1 labels in the set */
    static double positiveRate(LabelledClips set) {
        int positives = 0;
        for (int i = 0; i < set.size(); i++) {
            positives += set.label(i) ? 1 : 0;
        }
        return positives / (double) set.size();
    }

    private static float[] gather(LabelledClips set, int[] rows, int clipSize) {
        float[] clips = new float[rows.length * clipSize];
        for (int j = 0; j < rows.length; j++) {
            float[] c = set.clip(rows[j]);
            if (c.length != clipSize) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: clip %d has %d values, the set's clip shape needs %d", set.name(), rows[j], c.length,
                        clipSize));
            }
            System.arraycopy(c, 0, clips, j * clipSize, clipSize);
        }
        return clips;
    }

    private static long[] batchShape(int count, long[] clipShape) {
        long[] shape = new long[clipShape.length + 1];
        shape[0] = count;
        System.arraycopy(clipShape, 0, shape, 1, clipShape.length);
        return shape;
    }

    private void checkCompatible(FineTuneCheckpoint c, List<String> names, int n, Path file,
            boolean validating) {
        boolean checkpointValidated = !c.curve().isEmpty() && c.curve().get(0).validation().isPresent();
        if (checkpointValidated != validating) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "checkpoint %s belongs to another run: it was trained %s a validation set, this run has %s",
                    file, checkpointValidated ? "with" : "without", validating ? "one" : "none"));
        }
        if (c.seed() != seed || c.batchSize() != batchSize || c.microBatchSize() != microBatchSize
                || c.datasetSize() != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "checkpoint %s belongs to another run: seed %d, batch %d, micro-batch %d, %d clips;"
                            + " this run has seed %d, batch %d, micro-batch %d, %d clips", file, c.seed(),
                    c.batchSize(), c.microBatchSize(), c.datasetSize(), seed, batchSize, microBatchSize, n));
        }
        if (!List.copyOf(c.weights().keySet()).equals(names)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "checkpoint %s holds parameters %s; the network has %s", file, c.weights().keySet(), names));
        }
    }

    private static FineTuneCheckpoint readCheckpoint(Path file) {
        try {
            return FineTuneCheckpoint.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fine-tuning checkpoint " + file, e);
        }
    }

    /** Fisher-Yates from the epoch's own stream, so that a resumed run redraws the same order. */
    private int[] permutation(int n, int epoch) {
        UniformRandomProvider rng = Seeds.rng(seed, "finetune-shuffle", Integer.toString(epoch));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    private static void adam(double[] theta, double[] grad, double[] m, double[] v, double lr, double wd,
            double c1, double c2) {
        double stepSize = lr / c1;
        for (int i = 0; i < theta.length; i++) {
            double g = grad[i] + wd * theta[i];
            m[i] = HeadTrainer.BETA1 * m[i] + (1 - HeadTrainer.BETA1) * g;
            v[i] = HeadTrainer.BETA2 * v[i] + (1 - HeadTrainer.BETA2) * g * g;
            theta[i] -= stepSize * m[i] / (Math.sqrt(v[i]) / c2 + HeadTrainer.EPSILON);
        }
    }

    private static String firstNonFinite(double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                return "element " + i + " " + a[i];
            }
        }
        return null;
    }

    private static Map<String, float[]> toFloats(Map<String, double[]> w) {
        Map<String, float[]> out = new LinkedHashMap<>();
        w.forEach((k, d) -> {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            out.put(k, f);
        });
        return out;
    }

    private static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return p;
    }

    private static void positive(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + n);
        }
    }

    /**
     * @param steps 0 to evaluate the validation set at the end of every epoch (the default), or
     *     {@code k >= 1} to evaluate it every {@code k} global optimiser steps; the smoothing window
     *     and warm-up then count evaluations, not epochs
     * @return a copy with that setting
     * @throws IllegalArgumentException if negative
     */
    public FineTuner withValidationEvery(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("validation interval must be >= 0 (0 = every epoch), got " + steps);
        }
        return new FineTuner(epochs, batchSize, microBatchSize, learningRate, learningRateDecay, weightDecay,
                classWeights, seed, checkpointEvery, steps, smoothingWindow, warmupEpochs);
    }

    /**
     * @param w the smoothing window in evaluations, {@code >= 0} (the rule of
     *     {@link HeadTrainer#withSmoothingWindow}); default {@link HeadTrainer#DEFAULT_SMOOTHING_WINDOW}
     * @return a copy with that window
     * @throws IllegalArgumentException if negative
     */
    public FineTuner withSmoothingWindow(int w) {
        if (w < 0) {
            throw new IllegalArgumentException("smoothing window must be >= 0, got " + w);
        }
        return new FineTuner(epochs, batchSize, microBatchSize, learningRate, learningRateDecay, weightDecay,
                classWeights, seed, checkpointEvery, validationEvery, w, warmupEpochs);
    }

    /**
     * @param n warm-up evaluations, {@code >= 0}: evaluations {@code 1 .. n} are never the
     *     checkpoint; default {@link HeadTrainer#DEFAULT_WARMUP_EPOCHS}
     * @return a copy with that warm-up
     * @throws IllegalArgumentException if negative
     */
    public FineTuner withWarmupEpochs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("warm-up must be >= 0, got " + n);
        }
        return new FineTuner(epochs, batchSize, microBatchSize, learningRate, learningRateDecay, weightDecay,
                classWeights, seed, checkpointEvery, validationEvery, smoothingWindow, n);
    }

    /** @return 0 (every epoch) or the global steps between validation evaluations */
    public int validationEvery() {
        return validationEvery;
    }

    /** @return the smoothing window in evaluations */
    public int smoothingWindow() {
        return smoothingWindow;
    }

    /** @return the warm-up in evaluations */
    public int warmupEpochs() {
        return warmupEpochs;
    }

    /** @return epochs */
    public int epochs() {
        return epochs;
    }

    /** @return clips per optimiser step */
    public int batchSize() {
        return batchSize;
    }

    /** @return clips per forward/backward run */
    public int microBatchSize() {
        return microBatchSize;
    }

    /** @return the initial learning rate */
    public double learningRate() {
        return learningRate;
    }

    /** @return the per-epoch learning-rate decay */
    public double learningRateDecay() {
        return learningRateDecay;
    }

    /** @return the coupled weight decay */
    public double weightDecay() {
        return weightDecay;
    }

    /** @return whether classes are weighted */
    public boolean classWeights() {
        return classWeights;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return steps between checkpoints */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "FineTuner[epochs=%d, batch=%d, micro=%d, lr=%g, decay=%g, wd=%g, classWeights=%b, seed=%d,"
                        + " checkpointEvery=%d, validationEvery=%d, smoothing=%d, warm-up=%d]", epochs, batchSize,
                microBatchSize, learningRate, learningRateDecay, weightDecay, classWeights, seed, checkpointEvery,
                validationEvery, smoothingWindow, warmupEpochs);
    }
}
