package org.engagement4j.metrics.maps;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;

/**
 * Normalized Scanpath Saliency (Peters et al., Vision Research 2005,
 * doi:10.1016/j.visres.2004.09.017; Bylinskii et al., TPAMI 2019,
 * doi:10.1109/TPAMI.2018.2815601): the machine map standardised to zero mean and unit standard
 * deviation, averaged at the fixation locations:
 *
 * <pre>NSS = mean over fixations f of (m_f - mean(m)) / sd(m)</pre>
 *
 * <p>with the population standard deviation (Bylinskii's MATLAB {@code NSS.m} uses MATLAB's
 * {@code std}, which divides by {@code n - 1}; the two differ by the factor
 * {@code sqrt((n - 1) / n)}, {@code 1 - 3e-5} for a {@code 15x32x32} volume). Higher is better; 0 is
 * chance; asymmetric. Invariant to positive affine transforms of the machine map.
 *
 * <p>Fixations of a continuous human map follow {@link Fixations}: positive values at least
 * {@link #fixationThreshold()} times the maximum of the volume ({@link #volume(Volume, Volume)}) or
 * of the frame ({@link #perFrame(Volume, Volume)}); an explicit mask can be passed to
 * {@link #volume(Fixations, Volume)} and {@link #perFrame(Fixations, Volume)}. NSS is undefined
 * without fixations (an unpainted frame) or for a constant machine map: such frames are marked
 * undefined; the volume forms throw.
 *
 * @since 0.1.0
 */
public final class Nss implements MapMetric {

    /** The default fixation threshold, half of the human map's maximum. */
    public static final double DEFAULT_FIXATION_THRESHOLD = 0.5;

    private static final Nss DEFAULT = new Nss(DEFAULT_FIXATION_THRESHOLD);

    private final double fraction;

    private Nss(double fraction) {
        this.fraction = fraction;
    }

    /** @return NSS with the default fixation threshold 0.5 */
    public static Nss of() {
        return DEFAULT;
    }

    /**
     * @param fraction a human pixel is a fixation when it is positive and at least this fraction of
     *     the maximum; in {@code (0, 1]}
     * @return a copy with this threshold
     * @throws IllegalArgumentException if the fraction is out of range
     */
    public Nss withFixationThreshold(double fraction) {
        return new Nss(Fixations.requireFraction(fraction));
    }

    /** @return the fixation threshold as a fraction of the human map's maximum */
    public double fixationThreshold() {
        return fraction;
    }

    /** @return {@code "nss"} */
    @Override
    public String name() {
        return "nss";
    }

    /** @return true */
    @Override
    public boolean higherIsBetter() {
        return true;
    }

    /**
     * NSS over the volume, fixations thresholded against the volume's maximum.
     *
     * @throws IllegalArgumentException if the shapes differ, a value is not finite, the human map
     *     has no fixation, or the machine map is constant
     */
    @Override
    public double volume(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        return volume(Fixations.aboveVolumeFraction(human, fraction), machine);
    }

    /**
     * NSS of every frame, fixations thresholded against each frame's maximum; frames without
     * fixations or with a constant machine map are undefined.
     *
     * @throws IllegalArgumentException if the shapes differ or a value is not finite
     */
    @Override
    public FrameScores perFrame(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        return perFrame(Fixations.aboveFrameFraction(human, fraction), machine);
    }

    /**
     * NSS over the volume at explicit fixations.
     *
     * @param fixations the fixation mask
     * @param machine the machine map, same shape, every value finite
     * @return the value
     * @throws IllegalArgumentException if the shapes differ, a value is not finite, the mask is
     *     empty, or the machine map is constant
     */
    public double volume(Fixations fixations, Volume machine) {
        checkMasked(fixations, machine);
        if (fixations.count() == 0) {
            throw noFixations(name());
        }
        double[] m = machine.toArray();
        if (Inputs.isConstant(m, 0, m.length)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the machine map is constant (every value is %s), so it cannot be"
                            + " standardised and NSS is undefined", name(), m[0]));
        }
        return nss(m, fixations.toArray());
    }

    /**
     * NSS of every frame at explicit fixations; frames without fixations or with a constant machine
     * map are undefined.
     *
     * @param fixations the fixation mask
     * @param machine the machine map, same shape, every value finite
     * @return the scores
     * @throws IllegalArgumentException if the shapes differ or a value is not finite
     */
    public FrameScores perFrame(Fixations fixations, Volume machine) {
        checkMasked(fixations, machine);
        return masked(fixations, machine, Nss::nss);
    }

    static void checkMasked(Fixations fixations, Volume machine) {
        Objects.requireNonNull(fixations, "fixations");
        Objects.requireNonNull(machine, "machine");
        fixations.requireShapeOf(machine);
        machine.requireFinite("machine");
    }

    static IllegalArgumentException noFixations(String metric) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "%s: there is no fixation (the mask is empty, or the human map has no positive"
                        + " value), so the metric is undefined", metric));
    }

    /** Per-frame loop over a mask; {@code f(values, mask)} returns NaN for an undefined frame. */
    static FrameScores masked(Fixations fixations, Volume machine, MaskedFunction f) {
        int n = machine.frameSize();
        boolean[] all = fixations.toArray();
        double[] m = new double[n];
        double[] values = new double[machine.frames()];
        for (int t = 0; t < values.length; t++) {
            machine.copyFrameInto(t, m, 0);
            values[t] = f.apply(m, Arrays.copyOfRange(all, t * n, (t + 1) * n));
        }
        return FrameScores.of(values);
    }

    /** A metric of one machine frame at its fixations. */
    @FunctionalInterface
    interface MaskedFunction {
        double apply(double[] machine, boolean[] fixations);
    }

    /** NSS of a finite sample at a mask; NaN with no fixation or a constant sample. */
    static double nss(double[] m, boolean[] fix) {
        int n = m.length;
        int count = 0;
        for (boolean b : fix) {
            if (b) {
                count++;
            }
        }
        if (count == 0 || Inputs.isConstant(m, 0, n)) {
            return Double.NaN;
        }
        double scale = Inputs.unitScale(m, 0, n);
        double mean = 0;
        for (double v : m) {
            mean += v * scale;
        }
        mean /= n;
        double ss = 0;
        for (double v : m) {
            double d = v * scale - mean;
            ss += d * d;
        }
        double sd = Math.sqrt(ss / n);
        double s = 0;
        for (int i = 0; i < n; i++) {
            if (fix[i]) {
                s += (m[i] * scale - mean) / sd;
            }
        }
        return s / count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nss && Double.compare(((Nss) o).fraction, fraction) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(fraction);
    }

    @Override
    public String toString() {
        return "nss{fixationThreshold=" + fraction + "}";
    }
}
