package org.engagement4j.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the classifier head on baked embeddings, as the reference did (Fraile et al., ICMI 2022,
 * Section 3.3; REFERENCE.md §6): a {@link LinearHead} {@code Linear(D, 2)}, cross-entropy, Adam
 * with coupled weight decay, exponential learning-rate decay per epoch, optional class weights,
 * one full-batch step per epoch, and the checkpoint with the best smoothed validation F1.
 *
 * <h2>One run</h2>
 * <ol>
 *   <li><b>Epoch 0</b>: the initial head is evaluated on every set; its validation F1 (not
 *       smoothed) is the first checkpoint candidate, so a run that only makes the head worse
 *       keeps the initial one.</li>
 *   <li><b>Epoch e = 1 .. E</b>: the forward pass over the whole training set gives the loss
 *       {@code L}, the gradient and the epoch's training record; Adam takes one step; the
 *       validation (and test) sets are evaluated with the new parameters; the smoothed
 *       validation F1 is the mean raw validation F1 over epochs {@code max(0, e - w) .. e}
 *       ({@code w + 1} values, as the reference's slice); if {@code e >} warm-up and the
 *       smoothed F1 is <em>strictly</em> above the best so far, the head is checkpointed. Then
 *       the learning rate is multiplied by {@code gamma = 1 - decay} (torch's
 *       {@code ExponentialLR}).</li>
 * </ol>
 * Without a validation set nothing is checkpointed and the final head is the result.
 *
 * <h2>Formulas</h2>
 * Loss (torch's {@code CrossEntropyLoss(weight=c)}, reduction mean):
 * {@code L = sum_i c[y_i] (log sum_k exp z_ik - z_i,y_i) / sum_i c[y_i]}, logits
 * {@code z_i = W x_i + b}; class weights {@code c = [1/(1-p), 1/p]} with {@code p} the training
 * labels' positive rate when enabled, else {@code c = [1, 1]}. The same loss (with the training
 * set's weights) is reported for validation and test. Adam as {@code torch.optim.Adam} with
 * {@code weight_decay} (coupled L2, not AdamW), {@code beta1 = 0.9}, {@code beta2 = 0.999},
 * {@code eps = 1e-8}, step {@code t} from 1:
 * <pre>
 *   g = dL/dtheta + wd * theta
 *   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
 *   theta -= (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * F1 is {@code tp / (tp + (fp + fn) / 2)}, 0 when undefined (the reference added {@code 1e-6}
 * to the denominator; the values differ by less than 1e-8 on sets of a few hundred rows).
 * Predictions are the argmax of the logits (class 0 on a tie, as torch).
 *
 * <h2>Precision</h2>
 * Everything is computed in double precision from the float32 embeddings. torch computes in
 * float32; the two agree within 1e-5 on every loss and weight after 50 epochs on the fixture
 * problems of {@code tools/fixtures/head_fixtures.py} (torch's own float32 and float64 runs of
 * those problems differ by at most 3e-6). Sums over rows are formed in fixed blocks and added in
 * order, so results do not depend on the number of threads.
 *
 * <h2>Bad input</h2>
 * A training set with one class only is refused ({@link IllegalArgumentException}: nothing to
 * learn, and the class weight {@code 1/p} would be infinite). If a loss or a parameter becomes
 * non-finite (a learning rate far too large), training stops, a warning is logged and the result
 * says so ({@link HeadTrainingResult.StopReason#NON_FINITE}); its checkpoint is the best head
 * of the epochs before, whose values are all finite.
 *
 * <p>Defaults are the reference's final people / attending run: 1500 epochs, learning rate
 * 0.01, decay 0.005, weight decay 0.0011629532351435, class weights on, smoothing window 8,
 * warm-up 8. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class HeadTrainer {

    /** Adam's first-moment decay, torch's default. */
    public static final double BETA1 = 0.9;
    /** Adam's second-moment decay, torch's default. */
    public static final double BETA2 = 0.999;
    /** Adam's denominator term, torch's default. */
    public static final double EPSILON = 1e-8;

    /** Epochs of the reference's final head training. */
    public static final int DEFAULT_EPOCHS = 1500;
    /** Initial learning rate of the reference's final head training. */
    public static final double DEFAULT_LEARNING_RATE = 0.01;
    /** Learning-rate decay per epoch of the reference's final head training. */
    public static final double DEFAULT_LEARNING_RATE_DECAY = 0.005;
    /** Weight decay of the reference's final head training. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.0011629532351435;
    /** Smoothing window of the reference's final head training. */
    public static final int DEFAULT_SMOOTHING_WINDOW = 8;
    /** Warm-up of the reference's final head training. */
    public static final int DEFAULT_WARMUP_EPOCHS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(HeadTrainer.class);

    /**
     * Receives each epoch's record as soon as it exists (a command line draws a progress bar).
     * Called on the training thread; must be quick.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface EpochListener {

        /** A listener that ignores every epoch. */
        EpochListener NONE = (record, epochs) -> { };

        /**
         * @param record the epoch just finished (epoch 0: the initial evaluation)
         * @param epochs the number of epochs of the run
         */
        void epochDone(EpochRecord record, int epochs);
    }

    private final int epochs;
    private final double learningRate;
    private final double learningRateDecay;
    private final double weightDecay;
    private final boolean classWeights;
    private final int smoothingWindow;
    private final int warmupEpochs;

    private HeadTrainer(int epochs, double learningRate, double learningRateDecay,
            double weightDecay, boolean classWeights, int smoothingWindow, int warmupEpochs) {
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.learningRateDecay = learningRateDecay;
        this.weightDecay = weightDecay;
        this.classWeights = classWeights;
        this.smoothingWindow = smoothingWindow;
        this.warmupEpochs = warmupEpochs;
    }

    /** @return the reference's final settings (see the class description) */
    public static HeadTrainer withDefaults() {
        return new HeadTrainer(DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE,
                DEFAULT_LEARNING_RATE_DECAY, DEFAULT_WEIGHT_DECAY, true,
                DEFAULT_SMOOTHING_WINDOW, DEFAULT_WARMUP_EPOCHS);
    }

    /**
     * @param n epochs (full-batch steps), {@code >= 0}
     * @return a copy with that many epochs
     * @throws IllegalArgumentException if negative
     */
    public HeadTrainer withEpochs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "epochs: %d, must be >= 0", n));
        }
        return new HeadTrainer(n, learningRate, learningRateDecay, weightDecay, classWeights,
                smoothingWindow, warmupEpochs);
    }

    /**
     * @param lr the initial learning rate, finite and {@code > 0}
     * @return a copy with that rate
     * @throws IllegalArgumentException if out of range
     */
    public HeadTrainer withLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "learning rate: %s, must be finite and > 0", lr));
        }
        return new HeadTrainer(epochs, lr, learningRateDecay, weightDecay, classWeights,
                smoothingWindow, warmupEpochs);
    }

    /**
     * @param decay the per-epoch decay in {@code [0, 1)}: the rate is multiplied by
     *     {@code 1 - decay} after every epoch
     * @return a copy with that decay
     * @throws IllegalArgumentException if out of range
     */
    public HeadTrainer withLearningRateDecay(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "learning-rate decay: %s, must be in [0, 1)", decay));
        }
        return new HeadTrainer(epochs, learningRate, decay, weightDecay, classWeights,
                smoothingWindow, warmupEpochs);
    }

    /**
     * @param wd the coupled L2 weight decay, finite and {@code >= 0}
     * @return a copy with that weight decay
     * @throws IllegalArgumentException if out of range
     */
    public HeadTrainer withWeightDecay(double wd) {
        if (!(wd >= 0) || !Double.isFinite(wd)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "weight decay: %s, must be finite and >= 0", wd));
        }
        return new HeadTrainer(epochs, learningRate, learningRateDecay, wd, classWeights,
                smoothingWindow, warmupEpochs);
    }

    /**
     * @param on whether to weight the loss by {@code [1/(1-p), 1/p]}
     * @return a copy with that choice
     */
    public HeadTrainer withClassWeights(boolean on) {
        return new HeadTrainer(epochs, learningRate, learningRateDecay, weightDecay, on,
                smoothingWindow, warmupEpochs);
    }

    /**
     * @param w the smoothing window, {@code >= 0}: the smoothed F1 of epoch {@code e} averages
     *     epochs {@code max(0, e - w) .. e}; 0 means no smoothing
     * @return a copy with that window
     * @throws IllegalArgumentException if negative
     */
    public HeadTrainer withSmoothingWindow(int w) {
        if (w < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "smoothing window: %d, must be >= 0", w));
        }
        return new HeadTrainer(epochs, learningRate, learningRateDecay, weightDecay,
                classWeights, w, warmupEpochs);
    }

    /**
     * @param n warm-up epochs, {@code >= 0}: epochs {@code 1 .. n} are never checkpointed
     * @return a copy with that warm-up
     * @throws IllegalArgumentException if negative
     */
    public HeadTrainer withWarmupEpochs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "warm-up epochs: %d, must be >= 0", n));
        }
        return new HeadTrainer(epochs, learningRate, learningRateDecay, weightDecay,
                classWeights, smoothingWindow, n);
    }

    /** @return the number of epochs */
    public int epochs() {
        return epochs;
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

    /** @return whether the loss is class-weighted */
    public boolean classWeights() {
        return classWeights;
    }

    /** @return the smoothing window */
    public int smoothingWindow() {
        return smoothingWindow;
    }

    /** @return the warm-up epochs */
    public int warmupEpochs() {
        return warmupEpochs;
    }

    /**
     * Trains with a validation set and no test set, reporting nothing.
     *
     * @param train the training embeddings
     * @param validation the validation embeddings (checkpointing)
     * @param initial the starting head
     * @return the result
     * @throws IllegalArgumentException as {@link #train(LabelledEmbeddings, Optional, Optional,
     *     LinearHead, EpochListener)}
     */
    public HeadTrainingResult train(LabelledEmbeddings train, LabelledEmbeddings validation,
            LinearHead initial) {
        return train(train, Optional.of(validation), Optional.empty(), initial,
                EpochListener.NONE);
    }

    /**
     * Trains a head (see the class description).
     *
     * @param train the training embeddings
     * @param validation the validation embeddings; without them the final head is the result
     * @param test test embeddings, evaluated every epoch for the record only (never used to
     *     choose anything)
     * @param initial the starting head, 2 classes, input size = the embeddings' dimension
     *     ({@link LinearHead#initialise} for a seeded one)
     * @param listener receives every epoch's record
     * @return the result: checkpoint, final head, history, why it stopped
     * @throws IllegalArgumentException if the head has not 2 classes, a set's dimension differs
     *     from the head's input size, or the training labels hold one class only (the message
     *     names the set)
     */
    public HeadTrainingResult train(LabelledEmbeddings train,
            Optional<LabelledEmbeddings> validation, Optional<LabelledEmbeddings> test,
            LinearHead initial, EpochListener listener) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(listener, "listener");
        if (initial.classes() != 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the initial head has %d classes; binary engagement needs 2",
                    initial.classes()));
        }
        checkDimension(train, initial);
        validation.ifPresent(v -> checkDimension(v, initial));
        test.ifPresent(t -> checkDimension(t, initial));
        int positives = train.positives();
        if (positives == 0 || positives == train.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "training set %s: all %d labels are %s; a head cannot be trained on one"
                            + " class (is the variable ever %s in these sessions?)", train.name(),
                    train.size(), positives == 0 ? "negative" : "positive",
                    positives == 0 ? "engaged" : "not engaged"));
        }
        validation.filter(v -> v.positives() == 0 || v.positives() == v.size())
                .ifPresent(v -> LOG.warn("validation set {} has one class only ({} rows); its"
                        + " F1 is {} whatever the head does", v.name(), v.size(),
                        v.positives() == 0 ? "0 or undefined" : "bounded by the recall"));
        double p = train.positiveRate();
        double[] cw = classWeights ? new double[] {1 / (1 - p), 1 / p} : new double[] {1, 1};
        int k = 2;
        int d = initial.inputSize();
        double[] w = initial.weight();
        double[] b = initial.bias();
        double[] mW = new double[w.length];
        double[] vW = new double[w.length];
        double[] mB = new double[k];
        double[] vB = new double[k];

        List<EpochRecord> history = new ArrayList<>(epochs + 1);
        double lr = learningRate;
        double[] w0 = w;
        double[] b0 = b;
        Optional<SplitMetrics> val0 = validation.map(v -> metrics(evaluate(w0, b0, d, v, cw)));
        EpochRecord first = new EpochRecord(0, lr, metrics(evaluate(w0, b0, d, train, cw)),
                val0, val0.isPresent() ? OptionalDouble.of(val0.get().f1())
                        : OptionalDouble.empty(),
                test.map(t -> metrics(evaluate(w0, b0, d, t, cw))));
        history.add(first);
        listener.epochDone(first, epochs);
        boolean checkpointing = validation.isPresent();
        SmoothedSelection selection = checkpointing ? SmoothedSelection.start(smoothingWindow,
                warmupEpochs, val0.get().f1()) : null;
        int bestEpoch = 0;
        LinearHead bestHead = initial;
        HeadTrainingResult.StopReason stop = HeadTrainingResult.StopReason.COMPLETED;
        String stopDetail = "";
        int completed = 0;
        for (int e = 1; e <= epochs; e++) {
            HeadMath.Pass step = HeadMath.pass(w, b, k, d, train.data(), train.labelData(), cw,
                    true);
            if (!Double.isFinite(step.loss())) {
                stop = HeadTrainingResult.StopReason.NON_FINITE;
                stopDetail = String.format(Locale.ROOT, "the training loss of epoch %d is %s",
                        e, step.loss());
                break;
            }
            double[] nw = w.clone();
            double[] nb = b.clone();
            double c1 = 1 - Math.pow(BETA1, e);
            double c2 = Math.sqrt(1 - Math.pow(BETA2, e));
            adam(nw, step.gradW, mW, vW, lr, weightDecay, c1, c2);
            adam(nb, step.gradB, mB, vB, lr, weightDecay, c1, c2);
            String bad = firstNonFinite(nw, nb);
            if (bad != null) {
                stop = HeadTrainingResult.StopReason.NON_FINITE;
                stopDetail = String.format(Locale.ROOT, "the step of epoch %d made %s", e, bad);
                break;
            }
            SplitMetrics trainM = metrics(step);
            Optional<SplitMetrics> valM = validation.map(v -> metrics(evaluate(nw, nb, d, v, cw)));
            Optional<SplitMetrics> testM = test.map(t -> metrics(evaluate(nw, nb, d, t, cw)));
            String lossProblem = nonFiniteLoss(e, valM, testM);
            if (lossProblem != null) {
                stop = HeadTrainingResult.StopReason.NON_FINITE;
                stopDetail = lossProblem;
                break;
            }
            w = nw;
            b = nb;
            OptionalDouble smoothed = OptionalDouble.empty();
            if (valM.isPresent()) {
                smoothed = OptionalDouble.of(selection.add(valM.get().f1()));
            }
            EpochRecord rec = new EpochRecord(e, lr, trainM, valM, smoothed, testM);
            history.add(rec);
            completed = e;
            if (checkpointing && selection.improved()) {
                bestEpoch = e;
                bestHead = LinearHead.of(w, b);
            }
            listener.epochDone(rec, epochs);
            lr *= 1 - learningRateDecay;
        }
        LinearHead finalHead = LinearHead.of(w, b);
        if (!checkpointing) {
            bestHead = finalHead;
            bestEpoch = completed;
        }
        if (stop != HeadTrainingResult.StopReason.COMPLETED) {
            LOG.warn("head training on {} stopped after epoch {} of {}: {}; keeping the"
                    + " checkpoint of epoch {}", train.name(), completed, epochs, stopDetail,
                    bestEpoch);
        }
        return new HeadTrainingResult(this, initial, bestHead, bestEpoch, finalHead, history,
                stop, stopDetail, p, classWeights ? List.of(cw[0], cw[1]) : List.of());
    }

    private static void checkDimension(LabelledEmbeddings set, LinearHead head) {
        if (set.dimension() != head.inputSize()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s has embeddings of dimension %d, the head reads %d", set.name(),
                    set.dimension(), head.inputSize()));
        }
    }

    private static HeadMath.Pass evaluate(double[] w, double[] b, int d, LabelledEmbeddings s,
            double[] cw) {
        return HeadMath.pass(w, b, 2, d, s.data(), s.labelData(), cw, false);
    }

    private static SplitMetrics metrics(HeadMath.Pass p) {
        return new SplitMetrics(p.loss(), ConfusionMatrix.ofCounts(p.tp, p.fp, p.fn, p.tn));
    }

    private static void adam(double[] theta, double[] grad, double[] m, double[] v, double lr,
            double wd, double c1, double c2) {
        double stepSize = lr / c1;
        for (int i = 0; i < theta.length; i++) {
            double g = grad[i] + wd * theta[i];
            m[i] = BETA1 * m[i] + (1 - BETA1) * g;
            v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
            theta[i] -= stepSize * m[i] / (Math.sqrt(v[i]) / c2 + EPSILON);
        }
    }

    private static String firstNonFinite(double[] w, double[] b) {
        for (int i = 0; i < w.length; i++) {
            if (!Double.isFinite(w[i])) {
                return "weight " + i + " " + w[i];
            }
        }
        for (int i = 0; i < b.length; i++) {
            if (!Double.isFinite(b[i])) {
                return "bias " + i + " " + b[i];
            }
        }
        return null;
    }

    private static String nonFiniteLoss(int e, Optional<SplitMetrics> val,
            Optional<SplitMetrics> test) {
        if (val.isPresent() && !Double.isFinite(val.get().loss())) {
            return String.format(Locale.ROOT, "the validation loss after the step of epoch %d"
                    + " is %s", e, val.get().loss());
        }
        if (test.isPresent() && !Double.isFinite(test.get().loss())) {
            return String.format(Locale.ROOT, "the test loss after the step of epoch %d is %s",
                    e, test.get().loss());
        }
        return null;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "HeadTrainer[epochs %d, lr %s, decay %s, weight decay"
                + " %s, class weights %s, smoothing %d, warm-up %d]", epochs, learningRate,
                learningRateDecay, weightDecay, classWeights ? "on" : "off", smoothingWindow,
                warmupEpochs);
    }
}
